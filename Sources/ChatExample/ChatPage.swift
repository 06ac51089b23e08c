extension ChatApp {
    /// The chat's web page, served at `/` beside the rooms (`chat-example` with the Hummingbird trait). A browser
    /// cannot set headers on a WebSocket, so it names its user in the query (`RequireUser` takes either). What the
    /// room says is shown as text (`textContent`), never as markup.
    public static let page = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>wsspec chat</title>
        <style>
          body { font: 15px system-ui, sans-serif; margin: 2em auto; max-width: 40em; }
          #log { border: 1px solid #ccc; height: 20em; overflow-y: auto; padding: .5em; white-space: pre-wrap; }
          form { display: flex; gap: .5em; margin-top: .5em; } #text { flex: 1; }
        </style>
        </head>
        <body>
        <h1>wsspec chat</h1>
        <form id="join"><input id="user" placeholder="your name" maxlength="32" required>
          <input id="room" value="lobby" required><button>join</button></form>
        <div id="log" aria-live="polite"></div>
        <form id="say"><input id="text" placeholder="message (/who lists the room)" disabled><button>send</button></form>
        <script>
        const log = document.getElementById("log"), text = document.getElementById("text");
        let socket = null;
        function show(line) {
          const row = document.createElement("div");
          row.textContent = line;
          log.append(row);
          log.scrollTop = log.scrollHeight;
        }
        document.getElementById("join").onsubmit = (event) => {
          event.preventDefault();
          if (socket) socket.close(1000);
          const user = document.getElementById("user").value, room = document.getElementById("room").value;
          const scheme = location.protocol === "https:" ? "wss:" : "ws:";
          socket = new WebSocket(`${scheme}//${location.host}/chat/${encodeURIComponent(room)}?user=${encodeURIComponent(user)}`, "chat.v1");
          socket.onopen = () => { text.disabled = false; text.focus(); };
          socket.onmessage = (message) => show(message.data);
          socket.onclose = (close) => { text.disabled = true; show(`(closed: ${close.code} ${close.reason})`); };
        };
        document.getElementById("say").onsubmit = (event) => {
          event.preventDefault();
          if (socket && text.value) { socket.send(text.value); text.value = ""; }
        };
        </script>
        </body>
        </html>
        """
}
