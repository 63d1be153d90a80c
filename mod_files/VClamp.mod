TITLE VClamp: two-electrode voltage clamp with a control amplifier

COMMENT
A two-electrode clamp: one electrode measures v (an ideal follower, vi), a
control amplifier with finite gain compares it with the command potential and
drives current into the cell through rstim (MOhm). The command steps through
three levels, amp[0] for dur[0] ms, amp[1] for dur[1] ms, amp[2] for dur[2] ms,
from t = 0; afterwards the clamp is off and injects nothing. Neurite's own;
names, defaults and numerics as NEURON's built-in VClamp, so that tools that use
it (bmtool's synapse tuner) run unchanged.

Circuit states (mV): e, the amplifier's input (the error between the measured
and the commanded potential, filtered by the feedback capacitor, tau1); vo, the
amplifier's output (lagging with tau2); vi, the measuring electrode's output.
Each time step solves the three backward-Euler circuit equations for the
present membrane potential:

    vi = v + fac*(vo - v)
    vo + (tau2/dt)*(vo - vo0) = -gain*e
    (vi - stim - 2*e) + (tau1/dt)*((vi - e) - (vi0 - e0)) = 0

where stim is the command and vo0, vi0, e0 are the values at the end of the
previous step. The injected current is i = (vo - v)/rstim, positive inward
(depolarising), as for every ELECTRODE_CURRENT.

The clamp is stiff: its current depends on v with a slope of about gain/rstim.
The current is therefore computed again after the membrane potential has been
advanced (the PROCEDURE solved with METHOD after_cvode), from the new v, and
only then are the circuit's values kept for the next step; the value of i read
after a step is that one. Use it with secondorder = 0. Several VClamps at one
location act as independent amplifiers; change the levels instead.

The values of the BREAKPOINT's current part (run at v + 0.001 and at v for the
conductance) overwrite e, vo and vi; only update() carries them over steps.
ENDCOMMENT

DEFINE NLEVELS 3

NEURON {
    POINT_PROCESS VClamp
    ELECTRODE_CURRENT i
    RANGE e0, vo0, vi0, dur, amp, gain, rstim, tau1, tau2, fac, i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    dur[NLEVELS] (ms) <0, 1e9>
    amp[NLEVELS] (mV)
    gain = 1e5 <0, 1e9>
    rstim = 1 (megohm) <1e-9, 1e9>
    tau1 = 0.001 (ms) <0, 1e9>
    tau2 = 0 (ms) <0, 1e9>
    e0 (mV)
    vo0 (mV)
    vi0 (mV)
    fac = 0 <1, 10>
}

ASSIGNED {
    v (mV)
    dt (ms)
    i (nA)
    stim (mV)
    tc (ms)
}

STATE {
    e (mV)
    vo (mV)
    vi (mV)
}

INITIAL {
    : the amplifier starts balanced: no error, output and follower at v
    e = 0
    e0 = 0
    vo = v
    vo0 = v
    vi = v
    vi0 = v
}

BREAKPOINT {
    SOLVE update METHOD after_cvode
    command()
    i = clampcurrent()
}

: The command stim for the present time, and tc, the time at which the clamp
: switches off (pushed 100 ms ahead while a level is still running).
PROCEDURE command() {
    LOCAL found
    found = 0
    tc = 0
    FROM k = 0 TO NLEVELS - 1 {
        if (found == 0) {
            stim = amp[k]
            tc = tc + dur[k]
            if (t < tc) {
                tc = tc + 100
                found = 1
            }
        }
    }
}

: The electrode current for the present v; solves the circuit while on.
FUNCTION clampcurrent() (nA) {
    if (t > tc) {
        e0 = 0
        vo0 = 0
        clampcurrent = 0
    } else {
        circuit()
        clampcurrent = (vo - v)/rstim
    }
}

: The three circuit equations of the COMMENT solved for e, vo and vi: the first
: two give vi and vo in terms of e, the third is then linear in e alone.
PROCEDURE circuit() {
    LOCAL r1, r2, a, vfix
    r1 = tau1/dt
    r2 = tau2/dt
    a = fac/(1 + r2)
    vfix = v*(1 - fac) + a*r2*vo0
    e = ((1 + r1)*vfix - stim - r1*(vi0 - e0))/((2 + r1) + (1 + r1)*a*gain)
    vo = (r2*vo0 - gain*e)/(1 + r2)
    vi = v + fac*(vo - v)
}

: After v has been advanced: the current from the new v, then the circuit's
: values become the starting point of the next step.
PROCEDURE update() {
    i = clampcurrent()
    e0 = e
    vo0 = vo
    vi0 = vi
}
