COMMENT
Neurite test mechanism: a stochastic synapse written with the random-stream
idiom of the Blue Brain Prob* synapses (setRNG/urand/erand in VERBATIM), so
that Neurite's native execution of that idiom can be checked against NEURON.
Each event releases with probability Pr (urand() < Pr); a release adds
weight*(0.5 + erand()) uS to a conductance decaying with tau.
setRNG(id1, id2, id3) selects a Random123 stream, setRNG(hocRandom) a HOC
Random object (its current distribution is picked), setRNG() none.
ENDCOMMENT

NEURON {
    THREADSAFE
    POINT_PROCESS StochSyn
    RANGE tau, e, Pr, g, i, nrelease
    NONSPECIFIC_CURRENT i
    BBCOREPOINTER rng
}

PARAMETER {
    tau = 3 (ms)
    e = 0 (mV)
    Pr = 0.5
}

ASSIGNED {
    v (mV)
    i (nA)
    rng
    usingR123
    nrelease
}

STATE {
    g (uS)
}

INITIAL {
    g = 0
    nrelease = 0
VERBATIM
    if (usingR123) {
        nrnran123_setseq((nrnran123_State*)_p_rng, 0, 0);
    }
ENDVERBATIM
}

BREAKPOINT {
    SOLVE state METHOD cnexp
    i = g*(v - e)
}

DERIVATIVE state {
    g' = -g/tau
}

NET_RECEIVE (weight (uS)) {
    if (urand() < Pr) {
        g = g + weight*(0.5 + erand())
        nrelease = nrelease + 1
    }
}

PROCEDURE setRNG() {
VERBATIM
    usingR123 = 0;
    if (ifarg(1) && hoc_is_double_arg(1)) {
        nrnran123_State** pv = (nrnran123_State**)(&_p_rng);
        uint32_t a2 = 0;
        uint32_t a3 = 0;
        if (*pv) {
            nrnran123_deletestream(*pv);
            *pv = (nrnran123_State*)0;
        }
        if (ifarg(2)) {
            a2 = (uint32_t)*getarg(2);
        }
        if (ifarg(3)) {
            a3 = (uint32_t)*getarg(3);
        }
        *pv = nrnran123_newstream3((uint32_t)*getarg(1), a2, a3);
        usingR123 = 1;
    } else if (ifarg(1)) {
        void** pv = (void**)(&_p_rng);
        *pv = nrn_random_arg(1);
    } else {
        void** pv = (void**)(&_p_rng);
        *pv = (void*)0;
    }
ENDVERBATIM
}

FUNCTION urand() {
VERBATIM
    double value = 0.0;
    if (usingR123) {
        value = nrnran123_dblpick((nrnran123_State*)_p_rng);
    } else if (_p_rng) {
        value = nrn_random_pick((Rand*)_p_rng);
    } else {
        value = 0.0;
    }
    _lurand = value;
ENDVERBATIM
}

FUNCTION erand() {
VERBATIM
    double value = 0.0;
    if (usingR123) {
        value = nrnran123_negexp((nrnran123_State*)_p_rng);
    } else if (_p_rng) {
        value = nrn_random_pick((Rand*)_p_rng);
    } else {
        value = 0.0;
    }
    _lerand = value;
ENDVERBATIM
}

VERBATIM
static void bbcore_write(double* x, int* d, int* xx, int* offset, _threadargsproto_) {
}
static void bbcore_read(double* x, int* d, int* xx, int* offset, _threadargsproto_) {
}
ENDVERBATIM
