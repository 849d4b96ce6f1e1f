// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/searchresults.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

class Connection;
class RoomListModel;

/*!
 * \brief The search panel's results: the server's `search` (docs/protocol.md §5.23) for
 * \c query, grouped by room.
 *
 * The query is sent DebounceMs after the last change (at once with searchNow()); a reply
 * to an earlier query, or one that arrives after the query changed, is dropped. Further
 * pages are asked for with fetchMore() (a ListView does so as it scrolls to the end).
 *
 * Rows are grouped by room for ListView sections: rooms in the order of their best hit,
 * the hits of a room in the server's ranking. A later page's hit of a room already shown
 * joins that room's group.
 */
class SearchResultsModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    //! The server offers `search` (hello's features).
    Q_PROPERTY(bool available READ available NOTIFY availableChanged)
    //! A request for the query is on its way.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    //! The query was answered (no results is then an answer, not a wait).
    Q_PROPERTY(bool answered READ answered NOTIFY busyChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY busyChanged)

public:
    enum Role
    {
        RoomIdRole = Qt::UserRole + 1,
        SeqRole,
        RoomNameRole, //!< the room's name in the room list: the section
        SenderRole,
        TimeRole, //!< QDateTime, local time
        SnippetRole, //!< rich text: the snippet escaped, its highlights bold
        TextRole, //!< the snippet as plain text
    };
    Q_ENUM(Role)

    static constexpr int DebounceMs = 250;
    static constexpr int PageSize = 20;

    /*! \brief From QML: the Session's connection and room list (Session::instance()). */
    explicit SearchResultsModel(QObject *parent = nullptr);
    SearchResultsModel(Connection *connection, RoomListModel *rooms, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    QString query() const { return m_query; }
    void setQuery(const QString &query);
    bool available() const;
    bool busy() const { return m_busy; }
    bool answered() const { return m_answered; }
    QString errorText() const { return m_errorText; }
    void setDebounceInterval(int ms) { m_debounce.setInterval(ms); }

    /*! \brief Sends the query now rather than after the pause (Enter in the field). */
    Q_INVOKABLE void searchNow();
    Q_INVOKABLE qint64 roomIdAt(int row) const; //!< 0 out of range
    Q_INVOKABLE qint64 seqAt(int row) const; //!< 0 out of range

    /*! \brief \a snippet as rich text: escaped, with \a highlights in bold. */
    static QString snippetHtml(
        const QString &snippet, const QList<protocol::Highlight> &highlights);

Q_SIGNALS:
    void queryChanged();
    void countChanged();
    void availableChanged();
    void busyChanged();

private:
    struct Hit
    {
        qint64 room = 0;
        qint64 seq = 0;
        QString sender;
        qint64 timestamp = 0;
        QString snippet;
        QString html;
    };

    void request(int offset);
    void applyPage(const protocol::SearchResults &page);
    void setBusy(bool busy, const QString &error = {});
    QString roomName(qint64 room) const;

    QPointer<Connection> m_connection;
    QPointer<RoomListModel> m_rooms;
    QTimer m_debounce;
    QString m_query;
    QList<Hit> m_hits;
    int m_received = 0; //!< hits the server returned for the query: the next page's offset
    bool m_hasMore = false;
    bool m_busy = false;
    bool m_answered = false;
    QString m_errorText;
    quint64 m_generation = 0; //!< replies to an earlier query are dropped
};

} // namespace confab::client
