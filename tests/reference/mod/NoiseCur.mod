COMMENT
Neurite test mechanism: a noisy current whose value is drawn in a BEFORE
BREAKPOINT block (once before every evaluation of the currents, as the
Gfluct point processes do) from the instance's NEURON 9 RANDOM stream:
an Ornstein-Uhlenbeck current with mean m, standard deviation sd, time
constant tau.
ENDCOMMENT

NEURON {
    POINT_PROCESS NoiseCur
    RANGE m, sd, tau, x, noise
    NONSPECIFIC_CURRENT i
    RANDOM r
}

PARAMETER {
    m = 0.01 (nA)
    sd = 0.02 (nA)
    tau = 2 (ms)
}

ASSIGNED {
    i (nA)
    x (nA)
    noise
}

INITIAL {
    x = m
}

BEFORE BREAKPOINT {
    noise = random_normal(r)
    x = m + (x - m)*exp(-dt/tau) + sd*sqrt(1 - exp(-2*dt/tau))*noise
}

BREAKPOINT {
    i = -x
}
