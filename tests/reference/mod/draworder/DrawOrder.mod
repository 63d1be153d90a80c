COMMENT
Neurite test mechanism: several draws from NMODL's one scop generator per
instance, in INITIAL, in a SOLVEd PROCEDURE (once per step) and in the
current (which NEURON evaluates twice per step and instance, at v + 0.001 and
at v). With more than one instance the values record the order in which the
instances take their draws: NEURON runs each block instance after instance.
The first instance with seed >= 0 reseeds the generator in INITIAL.
ENDCOMMENT

NEURON {
    SUFFIX draworder
    NONSPECIFIC_CURRENT i
    RANGE amp, seed, a, b, c, last
}

PARAMETER {
    amp = 0.0005 (mA/cm2)
    seed = -1
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
    a
    b
    c
    last
}

INITIAL {
    if (seed >= 0) {
        set_seed(seed)
    }
    a = scop_random()
    b = normrand(0, 1)
    c = 0
    last = 0
}

BREAKPOINT {
    SOLVE kick
    last = scop_random()
    i = amp*(a + c - 0.5 + 0.2*last)
}

PROCEDURE kick() {
    a = scop_random()
    b = exprand(2)
    c = normrand(0, 0.5)
}
