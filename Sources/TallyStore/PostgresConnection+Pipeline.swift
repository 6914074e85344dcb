internal import CLibPQ

extension PostgresConnection {
    /// Sends all `statements` in one round trip with libpq's pipeline mode and returns one result
    /// per statement, in order.
    ///
    /// Error semantics (PostgreSQL's, for statements between two syncs): when a statement fails,
    /// the server skips every later statement of the pipeline; those get a `.query` error "not
    /// executed: an earlier statement in the pipeline failed" (PGRES_PIPELINE_ABORTED). Without
    /// an explicit BEGIN, all statements form one implicit transaction, so earlier successes are
    /// rolled back too. With [BEGIN, …, COMMIT] a failure skips the COMMIT; this method then
    /// issues a ROLLBACK so the session is clean and nothing of the block persists — which is
    /// what group commit relies on.
    ///
    /// Throws only for connection-level failures (then the outcome of the pipeline is unknown).
    /// The connection is in blocking mode: keep pipelines to a few thousand small statements so
    /// neither side's socket buffer fills while the other is still sending.
    public func pipeline(_ statements: [Statement]) throws(StoreError) -> [Result<QueryResult, StoreError>] {
        let connection = try liveHandle()
        guard !statements.isEmpty else { return [] }
        let startedIdle = transactionState == .idle
        // PQenterPipelineMode: 1 on success, 0 when the connection is not idle (a result is
        // pending), which cannot happen here because every call drains its results.
        guard PQenterPipelineMode(connection) == 1 else {
            throw StoreError(kind: .query, "cannot enter pipeline mode: \(Self.clean(PQerrorMessage(connection)))")
        }
        for statement in statements {
            let sent = try CStrings.withParameters(statement.parameters) { count, types, values in
                // PQsendQueryPrepared / PQsendQueryParams: 1 when queued, 0 when it could not be
                // sent (connection broken). A prepared statement's parameter types are its own.
                if let name = statement.preparedName {
                    PQsendQueryPrepared(connection, name, count, values, nil, nil, 0)
                } else {
                    PQsendQueryParams(connection, statement.sql, count, types, values, nil, nil, 0)
                }
            }
            guard sent == 1 else { throw abandonPipeline(connection) }
        }
        // PQpipelineSync: marks the end of the pipeline and flushes it (blocking mode); 1 on
        // success, 0 on failure (connection broken).
        guard PQpipelineSync(connection) == 1 else { throw abandonPipeline(connection) }

        var results: [Result<QueryResult, StoreError>] = []
        results.reserveCapacity(statements.count)
        var current: Result<QueryResult, StoreError>?
        while true {
            // PQgetResult: per statement, one result and then NULL; after the last statement a
            // PGRES_PIPELINE_SYNC result. A broken connection yields an error result and then
            // NULLs, so we stop once PQstatus is CONNECTION_BAD.
            guard let result = PQgetResult(connection) else {
                guard PQstatus(connection) == CONNECTION_OK else { throw abandonPipeline(connection) }
                if let finished = current {
                    results.append(finished)
                    current = nil
                } else if results.count >= statements.count {
                    break  // defensive: never wait for more than was sent
                }
                continue
            }
            let status = PQresultStatus(result)
            if status == PGRES_PIPELINE_SYNC {
                PQclear(result)
                break
            }
            if status == PGRES_PIPELINE_ABORTED {
                PQclear(result)
                current = .failure(StoreError(kind: .query, "not executed: an earlier statement in the pipeline failed"))
            } else {
                let parameters = results.count < statements.count ? statements[results.count].parameters : []
                do {
                    current = .success(try consume(result, parameters))
                } catch {
                    if error.kind == .connectionLost { throw abandonPipeline(connection) }
                    current = .failure(error)
                }
            }
        }
        // PQexitPipelineMode: 1 on success, 0 when results are still pending (not the case after
        // the sync) — then the connection is in an unknown state and is closed.
        guard PQexitPipelineMode(connection) == 1 else {
            let message = Self.clean(PQerrorMessage(connection))
            close()
            throw StoreError(kind: .connectionLost, "cannot leave pipeline mode: \(message)")
        }
        if startedIdle && transactionState != .idle { rollbackQuietly() }
        while results.count < statements.count {
            results.append(.failure(StoreError(kind: .query, "no result received for this statement")))
        }
        return results
    }

    /// After a connection-level failure inside the pipeline: close and report the loss.
    private func abandonPipeline(_ connection: OpaquePointer) -> StoreError {
        let message = Self.clean(PQerrorMessage(connection))
        close()
        return StoreError(kind: .connectionLost, "pipeline failed, outcome unknown: \(message)")
    }
}
