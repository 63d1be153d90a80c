COMMENT
Test mechanism for Neurite: every `interval` ms from `start`, NEURON's
nrn_fake_fire makes the input port of gid `gid` (the NetCons made by
ParallelContext.gid_connect) spike `ahead` ms in the future, `number` times.
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL FakeFire
    RANGE gid, start, interval, number, ahead, n
}

PARAMETER {
    gid = 10
    start = 1
    interval = 2.5
    number = 4
    ahead = 0
}

ASSIGNED {
    n
}

INITIAL {
    n = 0
    net_send(start, 1)
}

NET_RECEIVE (w) {
    if (flag == 1) {
VERBATIM
        nrn_fake_fire((int) gid, t + ahead, 0);
ENDVERBATIM
        n = n + 1
        if (n < number) {
            net_send(interval, 1)
        }
    }
}
