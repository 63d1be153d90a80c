: net_send outside INITIAL/NET_RECEIVE, and a NET_RECEIVE in a density mechanism
NEURON { SUFFIX ev }
ASSIGNED { v }
BREAKPOINT { net_send(1, 1) }
NET_RECEIVE (w) { }
