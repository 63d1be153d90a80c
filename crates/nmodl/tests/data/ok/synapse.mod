TITLE Made-up stochastic synapse with event delivery, for parser tests

NEURON {
    POINT_PROCESS TestSyn
    RANGE tau, e, i, gmax
    NONSPECIFIC_CURRENT i
    POINTER donotuse
    BBCOREPOINTER rng_ptr
    RANDOM ran1, ran2
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau = 0.1 (ms) <1e-9,1e9>
    e = 0 (mV)
    gmax = 0 (uS)
    w[3]
}

ASSIGNED {
    v (mV)
    i (nA)
    donotuse
    rng_ptr
    tlast (ms)
}

STATE {
    g (uS)
}

VERBATIM
#include <stdlib.h>
static double scale = 1.0;
ENDVERBATIM

CONSTRUCTOR {
VERBATIM
    if (_p_donotuse) {
ENDVERBATIM
    tlast = -1
VERBATIM
    }
ENDVERBATIM
}

DESTRUCTOR {
VERBATIM
    /* nothing to free */
ENDVERBATIM
}

INITIAL {
    g = 0
    tlast = -1e9
    net_send(0, 1)
}

BREAKPOINT {
    SOLVE state METHOD cnexp
    i = g*(v - e)
}

DERIVATIVE state {
    g' = -g/tau
}

BEFORE BREAKPOINT {
    gmax = gmax + 0
}

AFTER SOLVE {
    PROTECT tlast = tlast + 0
}

NET_RECEIVE(weight (uS), nspike, tsyn (ms)) {
    INITIAL {
        nspike = 1
        tsyn = t
    }
    if (flag == 0) {
        g = g + weight*random_uniform(ran1)
        net_event(t)
        FOR_NETCONS(w1, ns, ts) {
            ts = t
        }
    } else if (flag == 1) {
        WATCH (v > -20) 2, (v < -60 (mV)) 3
    } else {
        net_move(t + 1)
    }
    printf("weight %g at t=%g\n", weight, t)
}

FUNCTION urand() {
    urand = scop_random()
}
