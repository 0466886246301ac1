package io.edgeray.doctor;

/**
 * Everything the checks saw, typed, for {@link Diagnosis}. A check that did not run (the records
 * stopped the request before any connection) is null.
 */
record Evidence(RecordsCheck.Result records, ThroughEdgeCheck.Result edge, DirectCheck.Result direct,
    EgressCheck.Result egress, LocalListenersCheck.Result listeners, TlsCheck.Result tls, HistoryCheck.Result history) {}
