// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/postgres/pgdoorbell.h"

#include "core/logging.h"

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <atomic>

using namespace Qt::StringLiterals;

namespace confab::server::postgres {

namespace {

const QString Channel = u"confab"_s;
// PostgreSQL refuses a NOTIFY payload of 8000 bytes or more.
constexpr qsizetype MaxPayload = 7900;
// Payloads kept while the connection is away: at most some 8 MB.
constexpr qsizetype MaxUnsent = 1000;

QString nextConnectionName()
{
    static std::atomic<int> next {0};
    return u"confab-doorbell-%1"_s.arg(++next);
}

} // namespace

/*!
 * \brief The doorbell's connection, in its own thread: LISTENs, sends the coalesced
 * NOTIFYs, and checks itself each poll interval, reconnecting and LISTENing again.
 */
class DoorbellListener : public QObject
{
    Q_OBJECT

public:
    DoorbellListener(PgAddress address, std::chrono::milliseconds poll)
        : m_address(std::move(address))
        , m_name(nextConnectionName())
    {
        // A child, so that it moves to the listener's thread with it.
        m_check.setParent(this);
        m_check.setInterval(poll);
        connect(&m_check, &QTimer::timeout, this, &DoorbellListener::check);
    }

    ~DoorbellListener() override { disconnectFromServer(); }

    void start()
    {
        m_check.start();
        check();
    }

    void send(const QStringList &payloads)
    {
        // Kept while the connection is away, and sent once it is back: the rings would only
        // save the others a poll, but the notes (a revoked session) have no other way.
        // Trying here would queue a connect attempt per ring while the database is
        // unreachable; check() reconnects at its pace.
        m_unsent.append(payloads);
        if (m_unsent.size() > MaxUnsent) {
            qCWarning(lcCluster) << "the doorbell dropped" << m_unsent.size() - MaxUnsent
                                 << "payloads it could not send";
            m_unsent.remove(0, m_unsent.size() - MaxUnsent);
        }
        if (m_listening)
            flush();
    }

Q_SIGNALS:
    void heard(const QString &payload);
    void pollDue();
    void listeningChanged(bool listening);

private:
    void flush()
    {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        while (!m_unsent.isEmpty()) {
            query.prepare(u"SELECT pg_notify(?, ?)"_s);
            query.addBindValue(Channel);
            query.addBindValue(m_unsent.first());
            if (!query.exec()) {
                qCWarning(lcCluster) << "cannot ring:" << query.lastError().text();
                lost();
                return;
            }
            m_unsent.removeFirst();
        }
    }

    void check()
    {
        if (m_listening) {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            QSqlQuery alive(db);
            if (db.isOpen() && alive.exec(u"SELECT 1"_s)) {
                Q_EMIT pollDue();
                return;
            }
            qCWarning(lcCluster) << "the doorbell's connection was lost:"
                                 << (db.isOpen() ? alive.lastError().text() : u"closed"_s);
            lost();
        }
        if (reconnect()) {
            flush(); // what this instance said while away
            Q_EMIT pollDue(); // what the others rang meanwhile
        }
    }

    bool reconnect()
    {
        disconnectFromServer();
        QString error;
        QSqlDatabase db = openConnection(m_address, m_name, u"confab-doorbell"_s, &error);
        if (!db.isOpen() || !db.driver()->subscribeToNotification(Channel)) {
            qCDebug(lcCluster) << "doorbell cannot connect:" << db.lastError().text();
            return false;
        }
        connect(db.driver(),
            qOverload<const QString &, QSqlDriver::NotificationSource, const QVariant &>(
                &QSqlDriver::notification),
            this, [this](const QString &, QSqlDriver::NotificationSource, const QVariant &payload) {
                Q_EMIT heard(payload.toString());
            });
        m_listening = true;
        qCInfo(lcCluster) << "doorbell listening on" << m_address.database;
        Q_EMIT listeningChanged(true);
        return true;
    }

    void lost()
    {
        disconnectFromServer();
        Q_EMIT listeningChanged(false);
    }

    void disconnectFromServer()
    {
        m_listening = false;
        if (!QSqlDatabase::contains(m_name))
            return;
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }

    PgAddress m_address;
    QString m_name;
    QTimer m_check;
    bool m_listening = false;
    QStringList m_unsent; //!< payloads not sent yet, oldest first
};

Doorbell::Doorbell(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(m_options.coalesce);
    connect(&m_coalesce, &QTimer::timeout, this, &Doorbell::flush);
    m_thread.setObjectName(u"doorbell"_s);
}

Doorbell::~Doorbell()
{
    // In its thread, which its connection belongs to, and before that thread ends.
    if (m_listener) {
        QMetaObject::invokeMethod(
            m_listener, [listener = m_listener] { delete listener; }, Qt::BlockingQueuedConnection);
    }
    m_thread.quit();
    m_thread.wait();
}

void Doorbell::start()
{
    if (m_listener)
        return;
    m_listener = new DoorbellListener(m_options.address, m_options.poll);
    m_listener->moveToThread(&m_thread);
    connect(m_listener, &DoorbellListener::heard, this, [this](const QString &payload) {
        const QHash<qint64, qint64> rings = parse(payload);
        for (auto it = rings.cbegin(); it != rings.cend(); ++it)
            Q_EMIT rang(it.key(), it.value());
        for (const QString &note : parseNotes(payload))
            Q_EMIT noted(note);
    });
    connect(m_listener, &DoorbellListener::pollDue, this, &Doorbell::pollDue);
    connect(m_listener, &DoorbellListener::listeningChanged, this, &Doorbell::listeningChanged);
    m_thread.start();
    QMetaObject::invokeMethod(m_listener, &DoorbellListener::start);
}

void Doorbell::ring(qint64 room, qint64 seq)
{
    qint64 &pending = m_pending[room];
    pending = std::max(pending, seq);
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

void Doorbell::note(const QString &note)
{
    m_pendingNotes.append(note);
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

void Doorbell::flush()
{
    if (!m_listener || (m_pending.isEmpty() && m_pendingNotes.isEmpty()))
        return;
    const QStringList payloads
        = Doorbell::payloads(std::exchange(m_pending, {}), std::exchange(m_pendingNotes, {}));
    QMetaObject::invokeMethod(
        m_listener, [listener = m_listener, payloads] { listener->send(payloads); });
}

QStringList Doorbell::payloads(const QHash<qint64, qint64> &rings, const QStringList &notes)
{
    QList<qint64> rooms = rings.keys();
    std::sort(rooms.begin(), rooms.end());
    QStringList entries;
    for (const qint64 room : rooms)
        entries.append(u"%1:%2"_s.arg(room).arg(rings.value(room)));
    entries.append(notes);
    QStringList payloads;
    QString current;
    for (const QString &pair : std::as_const(entries)) {
        if (!current.isEmpty() && current.size() + 1 + pair.size() > MaxPayload) {
            payloads.append(current);
            current.clear();
        }
        current += (current.isEmpty() ? QString() : u","_s) + pair;
    }
    if (!current.isEmpty())
        payloads.append(current);
    return payloads;
}

QHash<qint64, qint64> Doorbell::parse(const QString &payload)
{
    QHash<qint64, qint64> rings;
    for (const QStringView pair : QStringView(payload).split(u',')) {
        if (!pair.isEmpty() && pair.front().isLetter())
            continue;
        const qsizetype colon = pair.indexOf(u':');
        bool roomOk = false;
        bool seqOk = false;
        const qint64 room = colon > 0 ? pair.left(colon).toLongLong(&roomOk) : 0;
        const qint64 seq = colon > 0 ? pair.mid(colon + 1).toLongLong(&seqOk) : 0;
        if (!roomOk || !seqOk || room <= 0 || seq <= 0)
            return {};
        rings[room] = std::max(rings.value(room), seq);
    }
    return rings;
}

QStringList Doorbell::parseNotes(const QString &payload)
{
    QStringList notes;
    for (const QStringView entry : QStringView(payload).split(u',')) {
        if (!entry.isEmpty() && entry.front().isLetter())
            notes.append(entry.toString());
    }
    return notes;
}

} // namespace confab::server::postgres

#include "pgdoorbell.moc"
