TITLE GABA_A_STP: GABA_A synapse with Tsodyks-Markram short-term plasticity

COMMENT
One conductance, the difference of two exponentials:

  g = gmax_GABAA*(B_GABAA - A_GABAA),   gmax_GABAA = initW*gmax (set at INITIAL)
  i = g*(v - e_GABAA)

A_GABAA decays with tau_r_GABAA and B_GABAA with tau_d_GABAA.

Short-term plasticity, deterministic Tsodyks-Markram model in the form of
Fuhrmann et al. (2002) J Neurophysiol 87:140-148 (see also Tsodyks and Markram
1997, Markram et al. 1998). Each NetCon keeps its own u, R and tsyn. At an event
at time t, with dt = t - tsyn:

  u  <- u*exp(-dt/Fac) + Use*(1 - u*exp(-dt/Fac))   (u <- Use when Fac <= 0)
  R  <- 1 - (1 - R)*exp(-dt/Dep)
  Pr  = u*R,  R <- R - u*R                           (Pr = u, R untouched, if Dep <= 0)

and A and B both rise by Pr*weight*factor, where
factor = 1/(exp(-tp/tau_d) - exp(-tp/tau_r)) with
tp = tau_r*tau_d/(tau_d - tau_r)*log(tau_d/tau_r) makes the peak of B - A after a
unit jump equal to 1. At initialisation u = u0, R = 1, tsyn = t. Events at t < 0
are ignored. The NetCon weight is in nS with the default gmax = 0.001 uS.
initW is read at INITIAL only (through gmax_GABAA); it scales both g and i.

Neurite's own, deterministic only. Point-process name, parameter names, units,
defaults, RANGE variables and NET_RECEIVE arguments are those of the GABA_A_STP
mechanism used by bmtool's synapse tuner.
ENDCOMMENT

NEURON {
    THREADSAFE
    POINT_PROCESS GABA_A_STP
    RANGE initW
    RANGE tau_r_GABAA, tau_d_GABAA
    RANGE Use, Dep, Fac, u0
    RANGE gmax, gmax_GABAA
    RANGE i, g, e_GABAA
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
    tau_r_GABAA = 0.2 (ms)
    tau_d_GABAA = 8 (ms)
    Use = 1.0 (1)
    Dep = 100 (ms)
    Fac = 10 (ms)
    e_GABAA = -75 (mV)
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
    gmax_GABAA (uS)
    factor_GABAA
    record_use
    record_Pr
}

STATE {
    A_GABAA
    B_GABAA
}

INITIAL {
    LOCAL tp
    A_GABAA = 0
    B_GABAA = 0
    tp = tau_r_GABAA*tau_d_GABAA/(tau_d_GABAA - tau_r_GABAA)*log(tau_d_GABAA/tau_r_GABAA)
    factor_GABAA = 1/(exp(-tp/tau_d_GABAA) - exp(-tp/tau_r_GABAA))
    gmax_GABAA = initW*gmax
    record_use = u0
    record_Pr = u0
}

BREAKPOINT {
    SOLVE kinetics METHOD cnexp
    g = gmax_GABAA*(B_GABAA - A_GABAA)
    i = g*(v - e_GABAA)
}

DERIVATIVE kinetics {
    A_GABAA' = -A_GABAA/tau_r_GABAA
    B_GABAA' = -B_GABAA/tau_d_GABAA
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
            printf("GABA_A_STP %g, t = %g: u = %g R = %g Pr = %g\n", synapseID, t/(1 (ms)), u, R, Pr)
        }
        tsyn = t
        jump = Pr*weight*factor_GABAA
        A_GABAA = A_GABAA + jump
        B_GABAA = B_GABAA + jump
        if (flag == 1) {
            weight = conductance
        }
    }
}

FUNCTION toggleVerbose() {
    verboseLevel = 1 - verboseLevel
    toggleVerbose = verboseLevel
}
