-- Tally schema 016: a lone plain increment is applied by the writer's own prepared statements
-- (issue #11, write path).
--
-- A batch of one plain increment (at light load nearly every commit) went BEGIN, then
-- tally_apply_batch_quietly -> tally_apply_batch -> tally_apply_increment (PL/pgSQL, six statements
-- through SPI), then a read of the change it logged, then COMMIT. The writer now sends two prepared
-- statements in one implicit transaction instead (Sources/TallyCore/Writer/LoneIncrement.swift): one
-- locks the change-log head, the other writes the same rows and returns the logged change
-- (BENCHMARKS.md, "Write path v10"). The rule stays in SQL: tally_is_plain_increment and
-- tally_increment_fits (Schema/014) decide which commands it takes.
--
-- So the single-increment rule has one home, the PL/pgSQL copy (Schema/013, 014, 015) goes: a batch
-- of one that the statements did not take (another operation, a set value, an expected version, a
-- replay, a refusal) goes tally_apply_commands' way, per command, which names the problem or
-- replays the request, as it did for every such batch before.
CREATE OR REPLACE FUNCTION tally_apply_batch(cmds jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    RETURN tally_apply_commands(cmds);
END $$;

DROP FUNCTION tally_apply_increment(jsonb);
