// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/drafts.h"

#include "store/localstore.h"

using namespace Qt::StringLiterals;

namespace confab::client {

Drafts::Drafts(QObject *parent)
    : QObject(parent)
{
    m_writeTimer.setSingleShot(true);
    m_writeTimer.setInterval(WriteDelayMs);
    connect(&m_writeTimer, &QTimer::timeout, this, &Drafts::flush);
}

Drafts::~Drafts()
{
    flush();
}

QString Drafts::keyFor(qint64 room)
{
    return u"draft:"_s + QString::number(room);
}

void Drafts::setStore(LocalStore *store)
{
    if (store == m_store)
        return;
    flush();
    m_store = store;
    m_texts.clear();
    m_dirty.clear();
}

QString Drafts::text(qint64 room) const
{
    if (room <= 0)
        return {};
    auto it = m_texts.constFind(room);
    if (it == m_texts.cend())
        it = m_texts.insert(
            room, m_store && m_store->isOpen() ? m_store->meta(keyFor(room)) : QString());
    return it.value();
}

bool Drafts::setText(qint64 room, const QString &text)
{
    if (room <= 0 || text == Drafts::text(room))
        return false;
    m_texts.insert(room, text);
    m_dirty.insert(room);
    if (!m_writeTimer.isActive())
        m_writeTimer.start();
    return true;
}

void Drafts::flush()
{
    m_writeTimer.stop();
    if (!m_store || !m_store->isOpen()) {
        m_dirty.clear();
        return;
    }
    for (const qint64 room : std::as_const(m_dirty))
        m_store->setMeta(keyFor(room), m_texts.value(room));
    m_dirty.clear();
}

} // namespace confab::client
