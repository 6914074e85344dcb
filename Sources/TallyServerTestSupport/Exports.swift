// Tests that run a Tally server also use the general test helpers (clusters, `assertStatus`,
// `waitUntil`); importing this module brings them along, as it did when `assertStatus` lived here.
@_exported import TallyTestSupport
