TITLE GABA_B_STP: slow GABA_B synapse (two exponentials) with Tsodyks-Markram short-term plasticity

COMMENT
The GABA_A_STP mechanism with slow kinetics and a K+-like reversal: a cheap
phenomenological GABA_B synapse. The conductance is the difference of two
exponentials,

  g = gmax_GABAB*(B_GABAB - A_GABAB),   gmax_GABAB = initW*gmax (set at INITIAL)
  i = g*(v - e_GABAB)

with A_GABAB decaying with tau_r_GABAB and B_GABAB with tau_d_GABAB (defaults
3.5 ms and 260.9 ms, reversal -97 mV, the values used for the GABA_B part of the
Blue Brain Project's deterministic GABA_A/B synapses). It is linear in the
released amount: the G-protein cascade of Destexhe and Sejnowski (1995), which
makes the response grow supra-linearly with the number of events, is not modelled.

Short-term plasticity exactly as in GABA_A_STP: deterministic Tsodyks-Markram
model in the form of Fuhrmann et al. (2002) J Neurophysiol 87:140-148. At an
event at time t, with dt = t - tsyn:

  u  <- u*exp(-dt/Fac) + Use*(1 - u*exp(-dt/Fac))   (u <- Use when Fac <= 0)
  R  <- 1 - (1 - R)*exp(-dt/Dep)
  Pr  = u*R,  R <- R - u*R                           (Pr = u, R untouched, if Dep <= 0)

and A and B both rise by Pr*weight*factor, factor normalising the peak of B - A
after a unit jump to 1. At initialisation u = u0, R = 1, tsyn = t; events at
t < 0 are ignored. The NetCon weight is in nS with the default gmax = 0.001 uS.

Neurite's own. bmtool has no GABA_B file; the names follow GABA_A_STP with
GABAA replaced by GABAB (tau_r_GABAB, tau_d_GABAB, e_GABAB as in the Blue Brain
GABA_A/B synapses).
ENDCOMMENT

NEURON {
    THREADSAFE
    POINT_PROCESS GABA_B_STP
    RANGE initW
    RANGE tau_r_GABAB, tau_d_GABAB
    RANGE Use, Dep, Fac, u0
    RANGE gmax, gmax_GABAB
    RANGE i, g, e_GABAB
    RANGE synapseID, verboseLevel, conductance
    RANGE record_use, record_Pr
    GLOBAL nc_type_param
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    initW = 1.0
    tau_r_GABAB = 3.5 (ms)
    tau_d_GABAB = 260.9 (ms)
    Use = 1.0 (1)
    Dep = 100 (ms)
    Fac = 10 (ms)
    e_GABAB = -97 (mV)
    gmax = 0.001 (uS)
    u0 = 0
    synapseID = 0
    verboseLevel = 0
    conductance = 0.0
    nc_type_param = 7
}

ASSIGNED {
    v (mV)
    i (nA)
    g (uS)
    gmax_GABAB (uS)
    factor_GABAB
    record_use
    record_Pr
}

STATE {
    A_GABAB
    B_GABAB
}

INITIAL {
    LOCAL tp
    A_GABAB = 0
    B_GABAB = 0
    tp = tau_r_GABAB*tau_d_GABAB/(tau_d_GABAB - tau_r_GABAB)*log(tau_d_GABAB/tau_r_GABAB)
    factor_GABAB = 1/(exp(-tp/tau_d_GABAB) - exp(-tp/tau_r_GABAB))
    gmax_GABAB = initW*gmax
    record_use = u0
    record_Pr = u0
}

BREAKPOINT {
    SOLVE kinetics METHOD cnexp
    g = gmax_GABAB*(B_GABAB - A_GABAB)
    i = g*(v - e_GABAB)
}

DERIVATIVE kinetics {
    A_GABAB' = -A_GABAB/tau_r_GABAB
    B_GABAB' = -B_GABAB/tau_d_GABAB
}

NET_RECEIVE (weight, R, u, tsyn (ms)) {
    LOCAL decay, Pr, jump
    INITIAL {
        R = 1
        u = u0
        tsyn = t
    }
    if (t >= 0) {
        if (Fac > 0) {
            decay = u*exp(-(t - tsyn)/Fac)
            u = decay + Use*(1 - decay)
        } else {
            u = Use
        }
        if (Dep > 0) {
            R = 1 - (1 - R)*exp(-(t - tsyn)/Dep)
            Pr = u*R
            R = R - Pr
        } else {
            Pr = u
        }
        record_use = u
        record_Pr = Pr
        if (verboseLevel > 0) {
            printf("GABA_B_STP %g, t = %g: u = %g R = %g Pr = %g\n", synapseID, t/(1 (ms)), u, R, Pr)
        }
        tsyn = t
        jump = Pr*weight*factor_GABAB
        A_GABAB = A_GABAB + jump
        B_GABAB = B_GABAB + jump
        if (flag == 1) {
            weight = conductance
        }
    }
}

FUNCTION toggleVerbose() {
    verboseLevel = 1 - verboseLevel
    toggleVerbose = verboseLevel
}
