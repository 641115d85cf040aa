// A local Exaflow worker killed: what the controller shows while it is gone and after it is back. The
// controller learns the worker landscape by refreshing it every WORKER_LANDSCAPE_AGGREGATOR_UPDATE_INTERVAL
// seconds; with Exaflow's default (30 s) it notices a dead worker well within NOTICE_BUDGET_S. A longer
// interval is reported with the failure: experiments keep being sent to the dead worker until then.
/** How long the controller may keep listing a killed worker's datasets: the default interval, twice, and a margin for DNS and endpoints. */
export const NOTICE_BUDGET_S = 90;
