// SPDX-License-Identifier: GPL-3.0-or-later
#include "lan/keyrotation.h"

#include "lan/fingerprint.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>
#include <algorithm>
#include <memory>
#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

using namespace Qt::StringLiterals;

namespace confab::lan {

namespace {

template<auto Free> struct Deleter
{
    template<typename T> void operator()(T *p) const { Free(p); }
};

// Far above a P-256 or RSA-4096 key and its signature, far below what could hurt.
constexpr qsizetype MaxKeyBytes = 1024;
constexpr qsizetype MaxSignatureBytes = 1024;
constexpr qint64 MaxJsonInteger = (qint64(1) << 53) - 1;

std::optional<QByteArray> strictBase64(const QJsonValue &value, qsizetype maxBytes)
{
    if (!value.isString())
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(
        value.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty() || decoded.decoded.size() > maxBytes)
        return std::nullopt;
    return decoded.decoded;
}

bool isServerId(const QString &text)
{
    return text.size() == 36 && QUuid::fromString(text).toString(QUuid::WithoutBraces) == text;
}

std::optional<KeyRotation> rotationFrom(const QJsonValue &value)
{
    const QJsonObject object = value.toObject();
    if (!value.isObject() || object.size() != 4)
        return std::nullopt;
    KeyRotation rotation;
    const auto oldKey = strictBase64(object.value("oldKey"_L1), MaxKeyBytes);
    const auto signature = strictBase64(object.value("signature"_L1), MaxSignatureBytes);
    const QJsonValue at = object.value("at"_L1);
    rotation.newFingerprint = object.value("newFingerprint"_L1).toString();
    if (!oldKey || !signature || !isFingerprint(rotation.newFingerprint) || !at.isDouble())
        return std::nullopt;
    const double ms = at.toDouble();
    if (ms < 0 || ms > double(MaxJsonInteger) || ms != double(qint64(ms)))
        return std::nullopt;
    rotation.oldKey = *oldKey;
    rotation.signature = *signature;
    rotation.atMs = qint64(ms);
    return rotation;
}

} // namespace

QByteArray KeyRotations::statement(const QString &serverId, const QString &oldFingerprint,
    const QString &newFingerprint, qint64 atMs)
{
    return "confab key rotation 1\n" + serverId.toUtf8() + '\n' + oldFingerprint.toUtf8() + '\n'
        + newFingerprint.toUtf8() + '\n' + QByteArray::number(atMs);
}

QByteArray KeyRotations::toJson() const
{
    QJsonArray rotations;
    for (const KeyRotation &rotation : chain) {
        rotations.append(QJsonObject {
            {u"oldKey"_s, QString::fromLatin1(rotation.oldKey.toBase64())},
            {u"newFingerprint"_s, rotation.newFingerprint},
            {u"at"_s, double(rotation.atMs)},
            {u"signature"_s, QString::fromLatin1(rotation.signature.toBase64())},
        });
    }
    return QJsonDocument(QJsonObject {{u"serverId"_s, serverId}, {u"rotations"_s, rotations}})
        .toJson(QJsonDocument::Compact);
}

std::optional<KeyRotations> KeyRotations::fromJson(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    const QJsonObject object = document.object();
    if (error.error != QJsonParseError::NoError || !document.isObject() || object.size() != 2)
        return std::nullopt;
    KeyRotations rotations;
    rotations.serverId = object.value("serverId"_L1).toString();
    const QJsonValue chain = object.value("rotations"_L1);
    if (!isServerId(rotations.serverId) || !chain.isArray() || chain.toArray().isEmpty()
        || chain.toArray().size() > MaxChain)
        return std::nullopt;
    const QJsonArray steps = chain.toArray();
    for (const auto &value : steps) {
        const auto rotation = rotationFrom(value);
        if (!rotation)
            return std::nullopt;
        rotations.chain.append(*rotation);
    }
    return rotations;
}

std::optional<KeyRotations> KeyRotations::ofCertificate(const QByteArray &certificateDer)
{
    const auto *bytes = reinterpret_cast<const unsigned char *>(certificateDer.constData());
    const std::unique_ptr<X509, Deleter<X509_free>> certificate(
        d2i_X509(nullptr, &bytes, long(certificateDer.size())));
    const std::unique_ptr<ASN1_OBJECT, Deleter<ASN1_OBJECT_free>> oid(OBJ_txt2obj(ExtensionOid, 1));
    const int index
        = certificate && oid ? X509_get_ext_by_OBJ(certificate.get(), oid.get(), -1) : -1;
    const X509_EXTENSION *extension = index >= 0 ? X509_get_ext(certificate.get(), index) : nullptr;
    const ASN1_OCTET_STRING *data
        = extension ? X509_EXTENSION_get_data(const_cast<X509_EXTENSION *>(extension)) : nullptr;
    std::optional<KeyRotations> rotations;
    if (data) {
        // The extension's value is a DER UTF8String holding the JSON.
        const unsigned char *inner = ASN1_STRING_get0_data(data);
        const unsigned char *end = inner + ASN1_STRING_length(data);
        const std::unique_ptr<ASN1_UTF8STRING, Deleter<ASN1_UTF8STRING_free>> text(
            d2i_ASN1_UTF8STRING(nullptr, &inner, ASN1_STRING_length(data)));
        if (text && inner == end) { // nothing after it
            rotations = fromJson(
                QByteArray(reinterpret_cast<const char *>(ASN1_STRING_get0_data(text.get())),
                    ASN1_STRING_length(text.get())));
        }
    }
    ERR_clear_error();
    return rotations;
}

bool KeyRotations::handsOver(
    const QString &id, const QString &pinnedFingerprint, const QString &presentedFingerprint) const
{
    if (id != serverId || !isFingerprint(pinnedFingerprint)
        || pinnedFingerprint == presentedFingerprint)
        return false;
    const auto from = std::find_if(chain.cbegin(), chain.cend(), [&](const KeyRotation &r) {
        return fingerprintOfPublicKey(r.oldKey) == pinnedFingerprint;
    });
    if (from == chain.cend())
        return false;
    QString current = pinnedFingerprint;
    for (auto step = from; step != chain.cend(); ++step) {
        if (fingerprintOfPublicKey(step->oldKey) != current
            || !verifySignature(step->oldKey,
                statement(serverId, current, step->newFingerprint, step->atMs), step->signature))
            return false;
        current = step->newFingerprint;
    }
    return current == presentedFingerprint;
}

bool verifySignature(
    const QByteArray &publicKey, const QByteArray &data, const QByteArray &signature)
{
    const auto *bytes = reinterpret_cast<const unsigned char *>(publicKey.constData());
    const std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>> key(
        d2i_PUBKEY(nullptr, &bytes, long(publicKey.size())));
    const std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>> context(EVP_MD_CTX_new());
    const bool valid = key && context
        && bytes
            == reinterpret_cast<const unsigned char *>(publicKey.constData()) + publicKey.size()
        && EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1
        && EVP_DigestVerify(context.get(),
               reinterpret_cast<const unsigned char *>(signature.constData()),
               size_t(signature.size()), reinterpret_cast<const unsigned char *>(data.constData()),
               size_t(data.size()))
            == 1;
    ERR_clear_error();
    return valid;
}

} // namespace confab::lan
