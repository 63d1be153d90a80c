COMMENT
Neurite test mechanism: an artificial cell whose inter-spike intervals are
drawn from NMODL's scop generator, so the spike times record the draws.
mode 0: interval = mean*scop_random()
mode 1: interval = exprand(mean)
mode 2: interval = fabs(normrand(mean, sd))
The generator is seeded with set_seed(seed) in INITIAL when seed >= 0.
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL ScopStim
    RANGE mean, sd, mode, seed
}

PARAMETER {
    mean = 5 (ms)
    sd = 2 (ms)
    mode = 0
    seed = -1
}

INITIAL {
    if (seed >= 0) {
        set_seed(seed)
    }
    net_send(draw(), 1)
}

FUNCTION draw() (ms) {
    if (mode == 0) {
        draw = mean*scop_random()
    } else if (mode == 1) {
        draw = exprand(mean)
    } else {
        draw = fabs(normrand(mean, sd))
    }
}

NET_RECEIVE (w) {
    net_event(t)
    net_send(draw(), 1)
}
