// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by tst_session and tst_keychain: a Session with its own data folder and
// settings file, and small readers for models and the server's log.
#pragma once

#include "models/roomlistmodel.h"
#include "models/timelinemodel.h"
#include "protocol/requestbuilder.h"
#include "session/account.h"
#include "session/session.h"
#include "settings/appsettings.h"
#include "testclient.h"

#include <QJsonArray>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

namespace confab::test {

inline const QString Password = QStringLiteral("password-123");

/*! \brief One app instance: data folder, settings file and Session. The folder can be
 * shared with a later instance (an app restart) through \c dataDir. */
struct App
{
    explicit App(client::SessionOptions options = {}, const QString &dataDir = {})
    {
        if (dataDir.isEmpty()) {
            m_dir = std::make_unique<QTemporaryDir>();
            path = m_dir->path();
        } else {
            path = dataDir;
        }
        settingsFile = std::make_unique<QSettings>(
            path + QStringLiteral("/settings.ini"), QSettings::IniFormat);
        settings = std::make_unique<client::AppSettings>(settingsFile.get());
        options.dataDir = path;
        if (options.backoffInitialMs == client::SessionOptions().backoffInitialMs) {
            options.backoffInitialMs = 100;
            options.backoffMaxMs = 500;
        }
        session = std::make_unique<client::Session>(options, settings.get());
    }
    ~App()
    {
        session.reset();
        settings.reset();
        settingsFile.reset();
    }

    client::Session *operator->() const { return session.get(); }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString path;
    std::unique_ptr<QSettings> settingsFile;
    std::unique_ptr<client::AppSettings> settings;
    std::unique_ptr<client::Session> session;
};

/*! \brief The seqs the timeline holds (stored events only), in row order. */
inline QList<qint64> timelineSeqs(const client::TimelineModel *tl)
{
    QList<qint64> out;
    for (int row = 0; row < tl->rowCount(); ++row) {
        const qint64 seq = tl->data(tl->index(row), client::TimelineModel::SeqRole).toLongLong();
        if (seq > 0)
            out.append(seq);
    }
    return out;
}

inline int rowsWithText(const client::TimelineModel *tl, const QString &text)
{
    int n = 0;
    for (int row = 0; row < tl->rowCount(); ++row) {
        if (tl->data(tl->index(row), client::TimelineModel::TextRole).toString() == text)
            ++n;
    }
    return n;
}

inline int deliveryOf(const client::TimelineModel *tl, const QString &text)
{
    for (int row = 0; row < tl->rowCount(); ++row) {
        if (tl->data(tl->index(row), client::TimelineModel::TextRole).toString() == text)
            return tl->data(tl->index(row), client::TimelineModel::DeliveryRole).toInt();
    }
    return -1;
}

/*! \brief The room's whole log as the server has it (paged forward). */
inline QList<protocol::RoomEvent> serverLog(TestClient *c, qint64 room, int pageSize = 200)
{
    QList<protocol::RoomEvent> out;
    qint64 after = 0;
    for (;;) {
        const auto r = c->request(protocol::requests::historyAfter(room, after, pageSize));
        if (!r || r->type != protocol::ServerFrameType::Result)
            return {};
        const QJsonArray events = r->data().value(QLatin1StringView("events")).toArray();
        for (const auto &v : events) {
            if (const auto e = protocol::RoomEvent::fromJson(v.toObject()))
                out.append(*e);
        }
        if (events.isEmpty() || !r->data().value(QLatin1StringView("hasMore")).toBool())
            return out;
        after = out.last().seq;
    }
}

/*! \brief Options for an app that keeps its token out of the keychain (tests with no
 * desktop session). */
inline client::SessionOptions withoutKeychain()
{
    client::SessionOptions options;
    options.useKeychain = false;
    return options;
}

/*! \brief Waits until \a app is signed in and live, or has given up with an error; true
 * for the first. */
inline bool signedInAndLive(App &app, int timeoutMs = 15000)
{
    using client::Account;
    return TestClient::waitUntil(
               [&] {
                   return app->connectionState() == client::ConnectionState::Live
                       || (app->account()->status() == Account::SignedOut
                           && !app->account()->errorText().isEmpty());
               },
               timeoutMs)
        && app->account()->status() == Account::SignedIn;
}

inline QList<qint64> seqsOf(const QList<protocol::RoomEvent> &events)
{
    QList<qint64> out;
    for (const auto &e : events)
        out.append(e.seq);
    return out;
}

} // namespace confab::test
