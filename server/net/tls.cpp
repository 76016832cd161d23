// OpenSSL setup. The self-signed certificate is for "localhost" and 127.0.0.1/::1 so
// sslmode=require works out of the box; verify-full needs the user's own CA.
#include "net/tls.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace fauxgres::net {

namespace {

template <class T, void (*Free)(T*)>
struct deleter {
  void operator()(T* p) const { Free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, deleter<X509, X509_free>>;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what);
}

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext) fail("could not build certificate extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

pkey_ptr new_key() {
  pkey_ptr key(EVP_EC_gen("P-256"));
  if (!key) fail("could not generate a TLS key");
  return key;
}

// A certificate for `host` (DNS name; localhost also gets 127.0.0.1 and ::1), valid from
// `from_days` to `to_days` around now, signed by `issuer` (itself when null).
x509_ptr make_certificate(EVP_PKEY* key, const std::string& host, long from_days, long to_days,
                          X509* issuer, EVP_PKEY* issuer_key, bool ca, long serial) {
  x509_ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), from_days * 24 * 3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), to_days * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(host.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  if (ca) {
    add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    std::string san = "DNS:" + host;
    if (host == "localhost") san += ",IP:127.0.0.1,IP:::1";
    add_extension(cert.get(), NID_subject_alt_name, san.c_str());
  }
  if (!X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()))
    fail("could not sign a TLS certificate");
  return cert;
}

std::pair<pkey_ptr, x509_ptr> self_signed() {
  auto key = new_key();
  auto cert = make_certificate(key.get(), "localhost", 0, 365, nullptr, nullptr, false, 1);
  return {std::move(key), std::move(cert)};
}

// RFC 5929: hash the DER certificate with its signature digest, SHA-256 for MD5/SHA-1.
std::vector<std::uint8_t> end_point_hash(X509* cert) {
  int md_nid = NID_undef;
  OBJ_find_sigid_algs(X509_get_signature_nid(cert), &md_nid, nullptr);
  const EVP_MD* md = nullptr;
  if (md_nid == NID_sha384)
    md = EVP_sha384();
  else if (md_nid == NID_sha512)
    md = EVP_sha512();
  else
    md = EVP_sha256();
  std::vector<std::uint8_t> hash(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  if (!X509_digest(cert, md, hash.data(), &length)) fail("could not hash the TLS certificate");
  hash.resize(length);
  return hash;
}

x509_ptr read_certificate(const std::string& file) {
  FILE* f = std::fopen(file.c_str(), "r");
  if (!f) fail("--ssl-cert: cannot open \"" + file + "\"");
  x509_ptr cert(PEM_read_X509(f, nullptr, nullptr, nullptr));
  std::fclose(f);
  if (!cert) fail("--ssl-cert: \"" + file + "\" is not a PEM certificate");
  return cert;
}

tls_setup empty_setup() {
  namespace ssl = boost::asio::ssl;
  tls_setup setup;
  setup.context = std::make_unique<ssl::context>(ssl::context::tls_server);
  SSL_CTX_set_min_proto_version(setup.context->native_handle(), TLS1_2_VERSION);
  SSL_CTX_set_options(setup.context->native_handle(), SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
  return setup;
}

tls_setup setup_from(EVP_PKEY* key, X509* cert) {
  auto setup = empty_setup();
  auto* ctx = setup.context->native_handle();
  if (SSL_CTX_use_certificate(ctx, cert) != 1 || SSL_CTX_use_PrivateKey(ctx, key) != 1)
    fail("could not install a generated TLS certificate");
  setup.end_point_hash = end_point_hash(cert);
  return setup;
}

std::string to_pem(X509* cert) {
  std::unique_ptr<BIO, deleter<BIO, BIO_free_all>> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

}  // namespace

test_certificates make_test_certificates() {
  test_certificates out;
  auto ca_key = new_key();
  auto ca = make_certificate(ca_key.get(), "fauxgres test CA", -1, 3650, nullptr, nullptr, true, 1);
  out.ca_pem = to_pem(ca.get());
  struct variant {
    const char* name;
    const char* host;
    long from_days, to_days;
    bool signed_by_ca;
  };
  for (const auto& v : {variant{"valid", "localhost", -1, 365, true},
                        variant{"self_signed", "localhost", -1, 365, false},
                        variant{"wrong_host", "wrong.example.invalid", -1, 365, true},
                        variant{"expired", "localhost", -30, -1, true}}) {
    auto key = new_key();
    auto cert = make_certificate(key.get(), v.host, v.from_days, v.to_days,
                                 v.signed_by_ca ? ca.get() : nullptr,
                                 v.signed_by_ca ? ca_key.get() : nullptr, false, 2);
    out.by_name.emplace(v.name, setup_from(key.get(), cert.get()));
  }
  return out;
}

tls_setup make_tls(const std::string& cert_file, const std::string& key_file) {
  namespace ssl = boost::asio::ssl;
  if (cert_file.empty()) {
    auto [key, cert] = self_signed();
    return setup_from(key.get(), cert.get());
  }
  auto setup = empty_setup();
  auto& ctx = *setup.context;
  auto cert = read_certificate(cert_file);
  boost::system::error_code ec;
  ctx.use_certificate_chain_file(cert_file, ec);
  if (ec) fail("--ssl-cert: \"" + cert_file + "\": " + ec.message());
  ctx.use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) fail("--ssl-key: \"" + key_file + "\": " + ec.message());
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1)
    fail("--ssl-key: \"" + key_file + "\" does not match the certificate");
  setup.end_point_hash = end_point_hash(cert.get());
  return setup;
}

}  // namespace fauxgres::net
