import Foundation
import WSSpecCommand

AllocatorTuning.apply()
exit(await WSSpec.runAsMain(Array(CommandLine.arguments.dropFirst())))
