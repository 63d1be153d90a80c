NEURON {
    POINT_PROCESS WatchCount
    RANGE hi, lo, n
}
PARAMETER {
    hi = -20 (mV)
    lo = -50 (mV)
}
ASSIGNED {
    v (mV)
    n
}
INITIAL {
    n = 0
    net_send(0, 1)
}
NET_RECEIVE(w) {
    if (flag == 1) {
        WATCH (v > hi) 2
    } else if (flag == 2) {
        n = n + 1
        net_event(t)
        WATCH (v < lo) 3
    } else if (flag == 3) {
        WATCH (v > hi) 2
    }
}
