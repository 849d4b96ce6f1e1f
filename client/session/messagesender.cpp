// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/messagesender.h"

#include "files/pendingattachments.h"
#include "models/timelinemodel.h"
#include "protocol/textrules.h"
#include "session/outbox.h"
#include "session/roomstate.h"
#include "session/session.h"

#include <QDateTime>
#include <QJSEngine>

using namespace Qt::StringLiterals;

namespace confab::client {

MessageSender::MessageSender(Outbox *outbox, RoomState *state, QObject *parent)
    : QObject(parent)
    , m_outbox(outbox)
    , m_state(state)
{
    connect(m_outbox, &Outbox::acknowledged, this,
        [this](qint64 room, const QString &txn, qint64 seq, qint64 ts) {
            if (TimelineModel *tl = m_state->existingTimeline(room))
                tl->markAcknowledged(txn, seq, ts);
        });
    connect(m_outbox, &Outbox::failed, this,
        [this](qint64 room, const QString &txn, const QString &reason) {
            if (TimelineModel *tl = m_state->existingTimeline(room))
                tl->markFailed(txn, reason);
        });
    connect(m_outbox, &Outbox::uploadProgressChanged, this,
        [this](qint64 room, const QString &txn, double progress) {
            if (TimelineModel *tl = m_state->existingTimeline(room))
                tl->setUploadProgress(txn, progress);
        });
}

MessageSender *MessageSender::create(QQmlEngine *, QJSEngine *)
{
    Session *session = Session::instance();
    Q_ASSERT(session);
    QJSEngine::setObjectOwnership(session->messageSender(), QJSEngine::CppOwnership);
    return session->messageSender();
}

void MessageSender::setMaxTextBytes(int bytes)
{
    if (m_maxTextBytes == bytes)
        return;
    m_maxTextBytes = bytes;
    Q_EMIT maxTextBytesChanged();
}

int MessageSender::utf8Length(const QString &text) const
{
    return int(text.toUtf8().size());
}

bool MessageSender::send(qint64 room, const QString &input, qint64 replyTo)
{
    if (!m_outbox->isOpen())
        return false; // signed out: there is no account to send as
    TimelineModel *tl = m_state->timeline(room);
    if (!tl)
        return false;
    // Line breaks typed or pasted as \r become \n, the only kind the server takes (§4).
    QString lines = input;
    lines.replace(u"\r\n"_s, u"\n"_s).replace(u'\r', u'\n');
    QString text = protocol::withoutControlCharacters(lines, protocol::MessageTextControls);
    const bool withFiles = m_pending && m_pending->room() == room && m_pending->count() > 0;
    if (text.trimmed().isEmpty()) {
        if (!withFiles)
            return false;
        text.clear(); // files alone: `send` leaves text out (§5.12)
    }
    if (text.toUtf8().size() > m_maxTextBytes) {
        Q_EMIT actionFailed(tr("The message is too long to send."));
        return false;
    }
    const QList<OutboxFile> files = withFiles ? m_pending->files() : QList<OutboxFile>();
    const auto entry
        = m_outbox->enqueue(room, text, QDateTime::currentMSecsSinceEpoch(), replyTo, files);
    if (!entry) {
        Q_EMIT actionFailed(tr("The message could not be saved for sending."));
        return false;
    }
    if (withFiles)
        m_pending->takeForSend(); // the outbox has them (and the pasted copies) now
    tl->addPending(
        entry->txn, entry->text, entry->createdMs, entry->replyTo, m_state->uploadingView(*entry));
    if (entry->uploading())
        tl->setUploadProgress(entry->txn, std::max(0.0, m_outbox->uploadProgress(entry->txn)));
    return true;
}

void MessageSender::retry(const QString &txn)
{
    const auto entries = m_outbox->entries();
    const auto it = std::find_if(
        entries.cbegin(), entries.cend(), [&](const OutboxEntry &e) { return e.txn == txn; });
    if (it == entries.cend() || !it->failed)
        return;
    const auto fresh = m_outbox->retry(txn);
    if (!fresh)
        return;
    if (TimelineModel *tl = m_state->existingTimeline(fresh->room)) {
        tl->removePending(txn);
        tl->addPending(fresh->txn, fresh->text, fresh->createdMs, fresh->replyTo,
            m_state->uploadingView(*fresh));
        if (fresh->uploading())
            tl->setUploadProgress(fresh->txn, std::max(0.0, m_outbox->uploadProgress(fresh->txn)));
    }
}

bool MessageSender::cancelUpload(const QString &txn)
{
    const auto entries = m_outbox->entries();
    const auto it = std::find_if(
        entries.cbegin(), entries.cend(), [&](const OutboxEntry &e) { return e.txn == txn; });
    if (it == entries.cend() || !m_outbox->cancelUpload(txn))
        return false;
    if (TimelineModel *tl = m_state->existingTimeline(it->room))
        tl->removePending(txn);
    return true;
}

void MessageSender::discard(const QString &txn)
{
    const auto entries = m_outbox->entries();
    for (const OutboxEntry &e : entries) {
        if (e.txn != txn)
            continue;
        m_outbox->discard(txn);
        if (TimelineModel *tl = m_state->existingTimeline(e.room))
            tl->removePending(txn);
    }
}

} // namespace confab::client
