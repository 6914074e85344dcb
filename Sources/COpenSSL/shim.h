#ifndef TALLY_COPENSSL_SHIM_H
#define TALLY_COPENSSL_SHIM_H
// OpenSSL's C API (libssl, libcrypto), entered only through TallyRPC's TLS files and TallyCore's
// digest (`internal import COpenSSL`). The inline functions below wrap macros Swift cannot call.
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/crypto.h>

/// SSL_CTX_set_min_proto_version (a macro): the lowest TLS version a context accepts.
static inline int tally_ctx_set_min_tls12(SSL_CTX *ctx) {
    return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}

/// SSL_CTX_set_mode (a macro): release idle record buffers (idle connections stay small) and let a
/// retried SSL_write pass a moved buffer.
static inline void tally_ctx_set_modes(SSL_CTX *ctx) {
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

/// SSL_set_tlsext_host_name (a macro): the SNI name a client sends.
static inline int tally_set_sni(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

/// BIO_set_mem_eof_return (a macro): an empty memory BIO reads as "retry", not as end of file.
static inline void tally_bio_mem_retry_when_empty(BIO *bio) {
    BIO_set_mem_eof_return(bio, -1);
}

/// BIO_pending (a macro): bytes waiting to be read from a BIO.
static inline size_t tally_bio_pending(BIO *bio) {
    return (size_t)BIO_ctrl_pending(bio);
}

/// SSL_CTX_set_session_cache_mode (a macro): no server-side session cache (one less memory pool).
static inline void tally_ctx_disable_session_cache(SSL_CTX *ctx) {
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
}

#endif
