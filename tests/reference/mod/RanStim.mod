COMMENT
Neurite test mechanism: an artificial cell whose inter-spike intervals come
from its own NEURON 9 RANDOM stream, so the spike times record the draws.
mode 0: random_uniform(r, 0, mean)   mode 1: random_negexp(r, mean)
mode 2: fabs(random_normal(r, mean, sd))   mode 3: mean*random_uniform(r)
mode 4: mean*random_negexp(r)   mode 5: mean + fabs(random_normal(r))
INITIAL sets the sequence to seq (seq*4 + which) and, when id1 >= 0, the
stream ids to (id1, id2, id3).
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL RanStim
    RANGE mean, sd, mode, seq, id1, id2, id3
    RANDOM r
}

PARAMETER {
    mean = 5 (ms)
    sd = 2 (ms)
    mode = 0
    seq = 0
    id1 = -1
    id2 = 0
    id3 = 0
}

INITIAL {
    if (id1 >= 0) {
        random_setids(r, id1, id2, id3)
    }
    random_setseq(r, seq)
    net_send(draw(), 1)
}

FUNCTION draw() (ms) {
    if (mode == 0) {
        draw = random_uniform(r, 0, mean)
    } else if (mode == 1) {
        draw = random_negexp(r, mean)
    } else if (mode == 2) {
        draw = fabs(random_normal(r, mean, sd))
    } else if (mode == 3) {
        draw = mean*random_uniform(r)
    } else if (mode == 4) {
        draw = mean*random_negexp(r)
    } else {
        draw = mean + fabs(random_normal(r))
    }
}

NET_RECEIVE (w) {
    net_event(t)
    net_send(draw(), 1)
}
