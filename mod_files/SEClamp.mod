TITLE SEClamp: single-electrode voltage clamp with series resistance

COMMENT
Clamps the membrane towards a command potential vc through a series resistance
rs: i = (vc - v)/rs. The command steps through three levels, amp1 for dur1 ms,
then amp2 for dur2 ms, then amp3 for dur3 ms; afterwards the clamp is off (i = 0).
Neurite's own; names and timing as NEURON's built-in SEClamp.

The current is computed in a PROCEDURE solved after the membrane potential has
been advanced (METHOD after_cvode), so i is reported with the new v rather than
the one of the previous step.
ENDCOMMENT

NEURON {
    POINT_PROCESS SEClamp
    ELECTRODE_CURRENT i
    RANGE dur1, amp1, dur2, amp2, dur3, amp3, rs, vc, i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    rs = 1 (megohm) <1e-9, 1e9>
    dur1 (ms)
    amp1 (mV)
    dur2 (ms) <0, 1e9>
    amp2 (mV)
    dur3 (ms) <0, 1e9>
    amp3 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
    vc (mV)
    tc2 (ms)
    tc3 (ms)
    on
}

INITIAL {
    tc2 = dur1 + dur2
    tc3 = tc2 + dur3
    on = 0
}

BREAKPOINT {
    SOLVE clampcurrent METHOD after_cvode
    command()
}

PROCEDURE clampcurrent() {
    if (on) {
        i = (vc - v)/rs
    } else {
        i = 0
    }
}

: Sets the command potential for the current time and recomputes the current.
PROCEDURE command() {
    on = 1
    if (dur1) { at_time(dur1) }
    if (dur2) { at_time(tc2) }
    if (dur3) { at_time(tc3) }
    if (t < dur1) {
        vc = amp1
    } else if (t < tc2) {
        vc = amp2
    } else if (t < tc3) {
        vc = amp3
    } else {
        vc = 0
        on = 0
    }
    clampcurrent()
}
