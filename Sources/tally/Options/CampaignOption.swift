import ArgumentParser

/// `--campaign YEAR`: which campaign a command reads (list, rank, warnings, plan export), said
/// once so that every command means the same by it.
struct CampaignOption: ParsableArguments {
    @Option(name: .long, help: "The campaign's year, e.g. 2024 (default: the one running, else the latest finished).")
    var campaign: String?
}
