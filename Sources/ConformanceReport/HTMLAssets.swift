import Crypto
import Foundation

/// The report's inline style and script. The pages allow no other script: their Content-Security-Policy
/// names this script by its hash, so markup that slipped past escaping still could not run.
enum HTMLAssets {
    static let style = """
        :root{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2330;background:#fafbfc}
        body{margin:0 auto;max-width:1600px;padding:16px 24px}h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:1.4em 0 .4em}
        table{border-collapse:collapse}th,td{padding:3px 8px;text-align:left;vertical-align:top}
        .summary td,.summary th{border-bottom:1px solid #e2e5ea}.summary td{white-space:nowrap}
        /* Agent names and targets come from the user: they wrap, anywhere if need be, and the figures do not. */
        .summary td.name{white-space:normal;overflow-wrap:anywhere;min-width:16em}.summary td.name small{display:block}
        .outcome p{margin:.3em 0}.outcome .fail,.outcome .pass{font-size:1.1em}.fail strong{color:#9b1c1c}.pass strong{color:#1e6b2e}
        #fails{max-width:18em}
        .matrix{width:100%}.matrix td,.matrix th{border-bottom:1px solid #eceef1}
        .matrix tr.section th{background:#e9edf3;font-size:1.02em;padding-top:8px}.matrix td.id{white-space:nowrap;font-family:ui-monospace,monospace}
        /* Long titles and agent names (some are unbroken hex) break anywhere, so the verdict columns keep their room. */
        .matrix td.title,.matrix thead th{overflow-wrap:anywhere}.matrix thead th:nth-child(n+3){width:10em}
        .cell{white-space:nowrap}.cell.fails{box-shadow:inset 4px 0 #c62828}.cell .close{color:#9b1c1c;opacity:1}
        .cell a{display:block;color:inherit;text-decoration:none;font-weight:600}.cell small{display:block;font-weight:400;opacity:.8}
        .v-OK{background:#d9f2dd}.v-NON-STRICT{background:#fff1c2}.v-INFORMATIONAL{background:#dfe9f7}.v-UNIMPLEMENTED{background:#e6e1f2}
        .v-FAILED{background:#f7d4d4}.v-none{background:#f0f0f0}.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600}
        .filters{display:flex;flex-wrap:wrap;gap:14px;align-items:center;margin:12px 0;padding:8px;background:#fff;border:1px solid #e2e5ea}
        pre{background:#fff;border:1px solid #e2e5ea;padding:8px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
        .wire td{font-family:ui-monospace,monospace;font-size:.85em;border-bottom:1px solid #eceef1}.wire td.hex{word-break:break-all;max-width:420px}
        .muted{color:#5d6675}ul,ol{margin:.3em 0;padding-left:1.4em}
        """

    static let script = """
        (function(){
        document.documentElement.setAttribute('data-report-script','ran');
        var boxes=Array.prototype.slice.call(document.querySelectorAll('input[data-verdict]'));
        var section=document.getElementById('section'),search=document.getElementById('search');
        var fails=document.getElementById('fails'),count=document.getElementById('shown');
        function apply(){
        var on={};boxes.forEach(function(b){if(b.checked)on[b.getAttribute('data-verdict')]=true;});
        var wanted=section.value,failing=fails.value,query=search.value.toLowerCase(),total=0;
        Array.prototype.forEach.call(document.querySelectorAll('tbody[data-section]'),function(body){
        var shown=0;
        Array.prototype.forEach.call(body.querySelectorAll('tr.case'),function(row){
        var verdicts=row.getAttribute('data-verdicts').split(' '),columns=row.getAttribute('data-fails');
        var visible=(wanted===''||body.getAttribute('data-section')===wanted)
        &&(failing===''||(columns!==null&&(failing==='any'||columns.split(' ').indexOf(failing)>=0)))
        &&verdicts.some(function(v){return on[v];})&&(query===''||row.getAttribute('data-search').indexOf(query)>=0);
        row.hidden=!visible;if(visible)shown++;});
        body.hidden=shown===0;total+=shown;});
        count.textContent=total+(total===1?' case':' cases')+' shown';}
        boxes.forEach(function(b){b.addEventListener('change',apply);});
        section.addEventListener('change',apply);search.addEventListener('input',apply);fails.addEventListener('change',apply);
        apply();
        })();
        """

    /// The policy of every page: inline style, this one script, nothing fetched.
    static let contentSecurityPolicy: String = {
        let digest = SHA256.hash(data: Array(script.utf8))
        return
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-\(Data(digest).base64EncodedString())'; img-src 'none'; base-uri 'none'; form-action 'none'"
    }()

    static func head(title: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="\(contentSecurityPolicy)">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLText.escape(title))</title><style>\(style)</style></head><body>

        """
    }
}
