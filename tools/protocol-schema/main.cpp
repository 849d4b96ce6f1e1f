// SPDX-License-Identifier: GPL-3.0-or-later
//
// protocol_schema: writes docs/protocol.schema.json from the protocol's tables.
//   protocol_schema                 print the schema
//   protocol_schema -o FILE         write it to FILE
//   protocol_schema --check FILE    exit 1 if FILE differs from what would be written

#include "jsonschema.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QTextStream>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    const QByteArray schema
        = QJsonDocument(confab::tools::protocolJsonSchema()).toJson(QJsonDocument::Indented);
    QTextStream err(stderr);

    if (args.isEmpty()) {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly))
            return 2;
        out.write(schema);
        return 0;
    }
    if (args.size() != 2 || (args[0] != "-o"_L1 && args[0] != "--check"_L1)) {
        err << "usage: protocol_schema [-o FILE | --check FILE]\n";
        return 2;
    }
    QFile file(args[1]);
    if (args[0] == "-o"_L1) {
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(schema) < 0) {
            err << "protocol_schema: cannot write " << args[1] << ": " << file.errorString()
                << '\n';
            return 2;
        }
        return 0;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        err << "protocol_schema: cannot read " << args[1] << ": " << file.errorString() << '\n';
        return 1;
    }
    const QByteArray committed = file.readAll();
    if (committed == schema)
        return 0;
    const QList<QByteArray> want = schema.split('\n');
    const QList<QByteArray> have = committed.split('\n');
    qsizetype line = 0;
    while (line < want.size() && line < have.size() && want[line] == have[line])
        ++line;
    err << args[1] << " is out of date with shared/protocol (first difference at line " << line + 1
        << ").\n  generated: " << want.value(line) << "\n  committed: " << have.value(line)
        << "\nRegenerate it: cmake --build build/ci --target update_protocol_schema\n";
    return 1;
}
