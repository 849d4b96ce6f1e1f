// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

namespace confab::client {

class LocalStore;

/*!
 * \brief What the user has half-written in each room: one draft per room, kept in the
 * local cache so that it survives a room switch, a sign-out of the app and a restart.
 *
 * Typing changes a draft on every key, so writes are held for a moment and then made in
 * one go, 400 ms after the last change. flush() writes at once; it runs when the cache
 * is swapped or closed (sign-out, quit), not on a room switch, which keeps the text in
 * memory.
 */
class Drafts : public QObject
{
    Q_OBJECT

public:
    static constexpr int WriteDelayMs = 400;

    explicit Drafts(QObject *parent = nullptr);
    ~Drafts() override;

    /*! \brief Where drafts are kept; null forgets every draft held in memory. */
    void setStore(LocalStore *store);
    QString text(qint64 room) const;
    /*! \brief Returns false if \a text is already the room's draft. */
    bool setText(qint64 room, const QString &text);
    void flush();

private:
    static QString keyFor(qint64 room);

    LocalStore *m_store = nullptr;
    mutable QHash<qint64, QString> m_texts; //!< read from the store on first use
    QSet<qint64> m_dirty;
    QTimer m_writeTimer;
};

} // namespace confab::client
