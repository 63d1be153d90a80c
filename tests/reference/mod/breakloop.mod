: C `break` in VERBATIM inside NMODL loops, as NEURON's vclmp.mod writes
: it, and the StochKv-style guard against CVODE in INITIAL (Neurite's reference case, tests/reference/pointer_reference.py).
NEURON {
    POINT_PROCESS BreakLoop
    RANGE stim, tc, k
}
DEFINE NSTEP 3
PARAMETER {
    lim = 4
}
ASSIGNED {
    dur[NSTEP] (ms)
    amp[NSTEP]
    stim
    tc (ms)
    k
}
INITIAL {
    VERBATIM
    if (cvode_active_ && lim > 0) {
        hoc_execerror("BreakLoop", "cannot be used with cvode");
    }
    ENDVERBATIM
    dur[0] = 2
    dur[1] = 3
    dur[2] = 4
    amp[0] = 1
    amp[1] = 2
    amp[2] = 3
}
BREAKPOINT {
    vstim()
    k = 0
    WHILE (k < 10) {
        k = k + 1
        if (k > lim + t/5) {
            VERBATIM
            break;
            ENDVERBATIM
        }
        k = k + 0.5
    }
}
PROCEDURE vstim() {
    tc = 0
    FROM j = 0 TO NSTEP - 1 {
        stim = amp[j]
        tc = tc + dur[j]
        if (t < tc) {
            tc = tc + 100
            VERBATIM
            break;
            ENDVERBATIM
        }
    }
}
