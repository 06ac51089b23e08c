import Foundation
import WSSpecCommand

exit(await WSSpec.runAsMain(Array(CommandLine.arguments.dropFirst())))
