// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/selfsignedcertificate.h"

#include "lan/keyrotation.h"

#include <memory>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {

template<auto Free> struct Deleter
{
    template<typename T> void operator()(T *p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509_free>>;
using Memory = std::unique_ptr<BIO, Deleter<BIO_free>>;
using Number = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
using Octets = std::unique_ptr<ASN1_OCTET_STRING, Deleter<ASN1_OCTET_STRING_free>>;
using Text = std::unique_ptr<ASN1_UTF8STRING, Deleter<ASN1_UTF8STRING_free>>;
using Oid = std::unique_ptr<ASN1_OBJECT, Deleter<ASN1_OBJECT_free>>;
using SignContext = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;

QString lastError(const char *step)
{
    char text[256] = {};
    ERR_error_string_n(ERR_get_error(), text, sizeof text);
    ERR_clear_error();
    return u"cannot make the server's certificate (%1): %2"_s.arg(
        QLatin1StringView(step), QLatin1StringView(text));
}

QByteArray drain(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, qsizetype(size));
}

// A random positive 127-bit serial, as RFC 5280 §4.1.2.2 asks of a CA: two certificates
// from one name never share one.
bool setRandomSerial(X509 *certificate)
{
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return false;
    bytes[0] &= 0x7f;
    const Number serial(BN_bin2bn(bytes, sizeof bytes, nullptr));
    return serial && BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate));
}

bool addExtension(X509 *certificate, int nid, const char *value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    const Extension extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
    return extension && X509_add_ext(certificate, extension.get(), -1);
}

QByteArray publicKeyDer(EVP_PKEY *key)
{
    unsigned char *der = nullptr;
    const int size = i2d_PUBKEY(key, &der);
    if (size <= 0)
        return {};
    QByteArray bytes(reinterpret_cast<const char *>(der), size);
    OPENSSL_free(der);
    return bytes;
}

// Non-critical: TLS stacks that do not know it must ignore it (RFC 5280 §4.2). Its value is
// DER, as an extension's must be: a UTF8String holding the JSON.
bool addRotations(X509 *certificate, const QByteArray &json)
{
    const Text text(ASN1_UTF8STRING_new());
    if (!text || ASN1_STRING_set(text.get(), json.constData(), int(json.size())) != 1)
        return false;
    unsigned char *der = nullptr;
    const int size = i2d_ASN1_UTF8STRING(text.get(), &der);
    if (size <= 0)
        return false;
    const Octets value(ASN1_OCTET_STRING_new());
    const bool set = value && ASN1_OCTET_STRING_set(value.get(), der, size) == 1;
    OPENSSL_free(der);
    const Oid oid(OBJ_txt2obj(lan::KeyRotations::ExtensionOid, 1));
    const Extension extension(
        set && oid ? X509_EXTENSION_create_by_OBJ(nullptr, oid.get(), 0, value.get()) : nullptr);
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

} // namespace

std::optional<SelfSignedCertificate> makeSelfSignedCertificate(
    const QString &commonName, int validDays, QString *error)
{
    return makeSelfSignedCertificate(commonName, validDays, error, {});
}

std::optional<SelfSignedCertificate> makeSelfSignedCertificate(const QString &commonName,
    int validDays, QString *error,
    const std::function<std::optional<QByteArray>(const QByteArray &publicKeyDer)> &rotationsFor)
{
    const Key key(EVP_EC_gen("P-256"));
    if (!key) {
        *error = lastError("key");
        return std::nullopt;
    }
    std::optional<QByteArray> rotations;
    if (rotationsFor) {
        rotations = rotationsFor(publicKeyDer(key.get()));
        if (!rotations) {
            *error = u"cannot sign the new key with the old one"_s;
            return std::nullopt;
        }
    }
    const Certificate certificate(X509_new());
    const QByteArray name = commonName.left(64).toUtf8();
    X509_NAME *subject = certificate ? X509_get_subject_name(certificate.get()) : nullptr;
    const bool made = subject && X509_set_version(certificate.get(), 2) == 1
        && setRandomSerial(certificate.get())
        && X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -24L * 3600)
        && X509_time_adj_ex(X509_getm_notAfter(certificate.get()), validDays, 0, nullptr)
        && X509_set_pubkey(certificate.get(), key.get()) == 1
        && X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
               reinterpret_cast<const unsigned char *>(name.constData()), int(name.size()), -1, 0)
            == 1
        && X509_set_issuer_name(certificate.get(), subject) == 1
        && addExtension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE")
        && addExtension(certificate.get(), NID_key_usage, "critical,digitalSignature")
        && addExtension(certificate.get(), NID_ext_key_usage, "serverAuth")
        && addExtension(certificate.get(), NID_subject_key_identifier, "hash")
        && (!rotations || addRotations(certificate.get(), *rotations))
        && X509_sign(certificate.get(), key.get(), EVP_sha256()) > 0;
    if (!made) {
        *error = lastError("certificate");
        return std::nullopt;
    }
    const Memory keyOut(BIO_new(BIO_s_mem()));
    const Memory certificateOut(BIO_new(BIO_s_mem()));
    if (!keyOut || !certificateOut
        || PEM_write_bio_PrivateKey(keyOut.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
            != 1
        || PEM_write_bio_X509(certificateOut.get(), certificate.get()) != 1) {
        *error = lastError("PEM");
        return std::nullopt;
    }
    return SelfSignedCertificate {drain(keyOut.get()), drain(certificateOut.get())};
}

std::optional<QByteArray> signWithKey(
    const QByteArray &keyPem, const QByteArray &data, QString *error)
{
    const Memory keyIn(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())));
    const Key key(
        keyIn ? PEM_read_bio_PrivateKey(keyIn.get(), nullptr, nullptr, nullptr) : nullptr);
    const SignContext context(EVP_MD_CTX_new());
    size_t size = 0;
    if (!key || !context
        || EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1
        || EVP_DigestSign(context.get(), nullptr, &size,
               reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size()))
            != 1) {
        *error = lastError("signature");
        return std::nullopt;
    }
    QByteArray signature(qsizetype(size), Qt::Uninitialized);
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char *>(signature.data()), &size,
            reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size()))
        != 1) {
        *error = lastError("signature");
        return std::nullopt;
    }
    signature.truncate(qsizetype(size));
    return signature;
}

bool keyMatchesCertificate(const QByteArray &keyPem, const QByteArray &certificatePem)
{
    const Memory keyIn(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())));
    const Memory certificateIn(
        BIO_new_mem_buf(certificatePem.constData(), int(certificatePem.size())));
    if (!keyIn || !certificateIn)
        return false;
    const Key key(PEM_read_bio_PrivateKey(keyIn.get(), nullptr, nullptr, nullptr));
    const Certificate certificate(
        PEM_read_bio_X509(certificateIn.get(), nullptr, nullptr, nullptr));
    const bool matches
        = key && certificate && X509_check_private_key(certificate.get(), key.get()) == 1;
    ERR_clear_error();
    return matches;
}

} // namespace confab::server
