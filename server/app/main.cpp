// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/confabdapp.h"

int main(int argc, char **argv)
{
    return confab::server::runConfabd(argc, argv);
}
