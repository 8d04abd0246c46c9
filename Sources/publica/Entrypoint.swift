import PublicaCommands

@main
struct Entrypoint {
    static func main() async {
        await PublicaCommand.runCommandLine()
    }
}
