-- Mutual TLS: a credential may be bound to one client certificate, named by the SHA-256 of its DER
-- (lower-case hex, as `openssl x509 -fingerprint -sha256` prints it without colons). A bound
-- credential is accepted only on a connection that presented that certificate, so a stolen token
-- alone is not enough.
ALTER TABLE credentials
    ADD COLUMN client_cert_sha256 text CHECK (client_cert_sha256 ~ '^[0-9a-f]{64}$');
