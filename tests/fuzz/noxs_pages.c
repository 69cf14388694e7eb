/*
 * libFuzzer target for the NOXS parsers of what a guest can write
 * (libnoxs/): the device page reader and the control page's guest-half
 * check. The first input byte picks which; the rest is the page (padded
 * with zeros to a page) or the guest half and the state seen before.
 * Besides never crashing or reading out of bounds (ASan, UBSan):
 *  - a device page the reader accepts, written back from what it read,
 *    reads back the same;
 *  - a guest half accepted as Initialised asks for no feature the backend
 *    did not offer and gives both ring grants.
 */
#include <stdint.h>
#include <string.h>

#include "../../libnoxs/ctrl.h"
#include "../../libnoxs/devpage.h"

#define BE_FEATURES (NOXS_VIF_RX_COPY | NOXS_VIF_SG)

static void devpage(const uint8_t *data, size_t size)
{
    static unsigned char page[NOXS_PAGE_SIZE], again[NOXS_PAGE_SIZE];
    struct noxs_devlist l, l2;
    const char *why;
    uint32_t gen, gen2;

    memset(page, 0, sizeof(page));
    memcpy(page, data, size < sizeof(page) ? size : sizeof(page));
    if (noxs_devpage_read(page, &l, &gen, &why) != 0)
        return;
    if (l.n > NOXS_DEV_MAX || (gen & 1))
        __builtin_trap();
    noxs_devpage_write(again, &l, gen);
    if (noxs_devpage_read(again, &l2, &gen2, &why) != 0 || gen2 != gen ||
        l2.n != l.n || memcmp(l.devs, l2.devs, l.n * sizeof(l.devs[0])))
        __builtin_trap();
}

static void ctrl(const uint8_t *data, size_t size)
{
    struct noxs_ctrl_page page;
    struct noxs_ctrl_fe fe;
    uint32_t prev = 0;
    const char *why;

    memset(&page, 0, sizeof(page));
    if (size >= 4) {
        memcpy(&prev, data, 4);
        data += 4;
        size -= 4;
    }
    memcpy(&page.fe, data, size < sizeof(page.fe) ? size : sizeof(page.fe));
    noxs_ctrl_fe_copy(&page, &fe);
    if (noxs_ctrl_fe_check(&fe, prev, BE_FEATURES, &why) != 0)
        return;
    if (fe.state == NOXS_STATE_INITIALISED && prev != fe.state &&
        ((fe.features & ~BE_FEATURES) || !fe.tx_ring_gref ||
         !fe.rx_ring_gref))
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (data[0] & 1)
        ctrl(data + 1, size - 1);
    else
        devpage(data + 1, size - 1);
    return 0;
}
