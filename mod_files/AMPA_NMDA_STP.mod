TITLE AMPA_NMDA_STP: AMPA + NMDA synapse with Tsodyks-Markram short-term plasticity

COMMENT
Two conductances, each the difference of two exponentials, driven by the same
presynaptic release:

  g_AMPA = gmax_AMPA*(B_AMPA - A_AMPA)
  g_NMDA = gmax_NMDA*(B_NMDA - A_NMDA)*mggate
  mggate = 1/(1 + exp(-0.062 v)*mg/3.57)       (v in mV, mg in mM)
  g      = g_AMPA + g_NMDA
  i_AMPA = g_AMPA*(v - e),  i_NMDA = g_NMDA*(v - e)
  i      = initW*(i_AMPA + i_NMDA)

A_x decays with tau_r_x and B_x with tau_d_x. The Mg2+ unblock is the fit of
Jahr and Stevens (1990) J Neurosci 10:3178-3182.

Short-term plasticity, deterministic Tsodyks-Markram model in the form of
Fuhrmann et al. (2002) J Neurophysiol 87:140-148 (see also Tsodyks and Markram
1997, Markram et al. 1998). Each NetCon keeps its own u (utilisation), R
(available fraction of resources) and tsyn (time of its last event). At an event
at time t, with dt = t - tsyn:

  u  <- u*exp(-dt/Fac) + Use*(1 - u*exp(-dt/Fac))   (u <- Use when Fac <= 0)
  R  <- 1 - (1 - R)*exp(-dt/Dep)                     (recovery since last event)
  Pr  = u*R                                          (released fraction)
  R  <- R - u*R                                      (R and Pr skipped if Dep <= 0: Pr = u)

and every A and B of the receptor x is raised by Pr*w_x*factor_x, with
w_AMPA = weight, w_NMDA = weight*NMDA_ratio, and factor_x the normalisation
that makes the peak of B_x - A_x after one unit jump equal to 1: with
tp = tau_r*tau_d/(tau_d - tau_r)*log(tau_d/tau_r),
factor = 1/(exp(-tp/tau_d) - exp(-tp/tau_r)). At initialisation u = u0, R = 1 and
tsyn = t. Events at t < 0 are ignored.

The NetCon weight is in nS when gmax_AMPA = gmax_NMDA = 0.001 uS. Note that
initW scales the current i only: g, g_AMPA, g_NMDA, i_AMPA and i_NMDA are the
values before the initW scaling.

Neurite's own, deterministic only. Point-process name, parameter names, units,
defaults, RANGE variables and NET_RECEIVE arguments are those of the
AMPA_NMDA_STP mechanism used by bmtool's synapse tuner, so configurations
written for it (initW, Use, Dep, Fac, u0, record_Pr, record_use ...) apply here.
ENDCOMMENT

NEURON {
    THREADSAFE
    POINT_PROCESS AMPA_NMDA_STP
    RANGE initW
    RANGE tau_r_AMPA, tau_d_AMPA, tau_r_NMDA, tau_d_NMDA
    RANGE Use, Dep, Fac, u0, mg, NMDA_ratio
    RANGE i, i_AMPA, i_NMDA, g_AMPA, g_NMDA, g, e
    RANGE gmax_AMPA, gmax_NMDA
    RANGE synapseID, verboseLevel, conductance
    RANGE record_use, record_Pr
    GLOBAL nc_type_param
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
    (mM) = (milli/liter)
}

PARAMETER {
    initW = 1.0
    tau_r_AMPA = 0.2 (ms)
    tau_d_AMPA = 1.7 (ms)
    tau_r_NMDA = 0.29 (ms)
    tau_d_NMDA = 43 (ms)
    Use = 1.0 (1)
    Dep = 100 (ms)
    Fac = 10 (ms)
    e = 0 (mV)
    mg = 1 (mM)
    gmax_NMDA = 0.001 (uS)
    gmax_AMPA = 0.001 (uS)
    u0 = 0
    NMDA_ratio = 0.71 (1)
    synapseID = 0
    verboseLevel = 0
    conductance = 0.0
    nc_type_param = 7
}

ASSIGNED {
    v (mV)
    i (nA)
    i_AMPA (nA)
    i_NMDA (nA)
    g_AMPA (uS)
    g_NMDA (uS)
    g (uS)
    factor_AMPA
    factor_NMDA
    mggate
    record_use
    record_Pr
}

STATE {
    A_AMPA
    B_AMPA
    A_NMDA
    B_NMDA
}

INITIAL {
    A_AMPA = 0
    B_AMPA = 0
    A_NMDA = 0
    B_NMDA = 0
    factor_AMPA = peak_norm(tau_r_AMPA, tau_d_AMPA)
    factor_NMDA = peak_norm(tau_r_NMDA, tau_d_NMDA)
    record_use = u0
    record_Pr = u0
}

BREAKPOINT {
    SOLVE kinetics METHOD cnexp
    mggate = 1/(1 + exp(-0.062 (/mV)*v)*(mg/3.57 (mM)))
    g_AMPA = gmax_AMPA*(B_AMPA - A_AMPA)
    g_NMDA = gmax_NMDA*(B_NMDA - A_NMDA)*mggate
    g = g_AMPA + g_NMDA
    i_AMPA = g_AMPA*(v - e)
    i_NMDA = g_NMDA*(v - e)
    i = initW*(i_AMPA + i_NMDA)
}

DERIVATIVE kinetics {
    A_AMPA' = -A_AMPA/tau_r_AMPA
    B_AMPA' = -B_AMPA/tau_d_AMPA
    A_NMDA' = -A_NMDA/tau_r_NMDA
    B_NMDA' = -B_NMDA/tau_d_NMDA
}

FUNCTION peak_norm(tr (ms), td (ms)) {
    LOCAL tp
    tp = tr*td/(td - tr)*log(td/tr)
    peak_norm = 1/(exp(-tp/td) - exp(-tp/tr))
}

NET_RECEIVE (weight, weight_AMPA, weight_NMDA, R, Pr, u, tsyn (ms), nc_type) {
    LOCAL decay
    INITIAL {
        R = 1
        u = u0
        tsyn = t
    }
    weight_AMPA = weight
    weight_NMDA = weight*NMDA_ratio
    if (t >= 0) {
        if (flag == 1) {
            weight = conductance
        }
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
            printf("AMPA_NMDA_STP %g, t = %g: u = %g R = %g Pr = %g\n", synapseID, t/(1 (ms)), u, R, Pr)
        }
        tsyn = t
        A_AMPA = A_AMPA + Pr*weight_AMPA*factor_AMPA
        B_AMPA = B_AMPA + Pr*weight_AMPA*factor_AMPA
        A_NMDA = A_NMDA + Pr*weight_NMDA*factor_NMDA
        B_NMDA = B_NMDA + Pr*weight_NMDA*factor_NMDA
    }
}

FUNCTION toggleVerbose() {
    verboseLevel = 1 - verboseLevel
    toggleVerbose = verboseLevel
}
