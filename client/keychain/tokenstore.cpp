// SPDX-License-Identifier: GPL-3.0-or-later
#include "keychain/tokenstore.h"

#include "core/clientlogging.h"

#include <QMetaObject>
#include <QPointer>
#include <qt6keychain/keychain.h>

namespace confab::client {

namespace {

TokenStore::Result resultOf(const QKeychain::Job *job)
{
    switch (job->error()) {
    case QKeychain::NoError:
        return TokenStore::Result::Ok;
    case QKeychain::EntryNotFound:
        return TokenStore::Result::NotFound;
    default:
        qCInfo(lcClientKeychain) << "keychain job failed:" << job->error() << job->errorString();
        return TokenStore::Result::Unavailable;
    }
}

} // namespace

TokenStore::TokenStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{ }

void TokenStore::setMemoryBackend(std::shared_ptr<QHash<QString, QString>> memory)
{
    m_memory = std::move(memory);
}

QString TokenStore::keyFor(const QString &serverUrl, const QString &user)
{
    return serverUrl + u'|' + user.toLower();
}

void TokenStore::finishLater(Callback callback, Result result, const QString &token)
{
    if (!callback)
        return;
    // Same contract as the keychain path: never call back re-entrantly.
    QMetaObject::invokeMethod(
        this, [callback = std::move(callback), result, token] { callback(result, token); },
        Qt::QueuedConnection);
}

void TokenStore::read(const QString &key, Callback callback)
{
    if (m_memory) {
        const auto it = m_memory->constFind(key);
        finishLater(std::move(callback), it == m_memory->cend() ? Result::NotFound : Result::Ok,
            it == m_memory->cend() ? QString() : it.value());
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setKey(key);
    job->setAutoDelete(true);
    connect(job, &QKeychain::Job::finished, this, [callback](QKeychain::Job *j) {
        const Result r = resultOf(j);
        if (callback)
            callback(r,
                r == Result::Ok ? static_cast<QKeychain::ReadPasswordJob *>(j)->textData()
                                : QString());
    });
    job->start();
}

void TokenStore::write(const QString &key, const QString &token, Callback callback)
{
    if (m_memory) {
        m_memory->insert(key, token);
        finishLater(std::move(callback), Result::Ok);
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setKey(key);
    job->setTextData(token);
    job->setAutoDelete(true);
    connect(job, &QKeychain::Job::finished, this, [callback](QKeychain::Job *j) {
        const Result r = resultOf(j);
        if (callback)
            callback(r, {});
    });
    job->start();
}

void TokenStore::remove(const QString &key, Callback callback)
{
    if (m_memory) {
        const bool had = m_memory->remove(key) > 0;
        finishLater(std::move(callback), had ? Result::Ok : Result::NotFound);
        return;
    }
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setKey(key);
    job->setAutoDelete(true);
    connect(job, &QKeychain::Job::finished, this, [callback](QKeychain::Job *j) {
        const Result r = resultOf(j);
        if (callback)
            callback(r, {});
    });
    job->start();
}

} // namespace confab::client
