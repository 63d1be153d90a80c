: NET_RECEIVE sees only ion concentrations, holds one INITIAL; WATCH belongs there
NEURON {
    POINT_PROCESS nrr
    USEION na READ ena, nai
}
ASSIGNED { v x ena nai }
INITIAL { WATCH (v > 0) 1 }
NET_RECEIVE (w) {
    INITIAL { x = 1 }
    INITIAL { x = 2 }
    x = ena + nai
}
