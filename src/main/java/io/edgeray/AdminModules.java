package io.edgeray;

import io.edgeray.admin.AdminModule;
import io.edgeray.admin.AnalyticsModule;
import io.edgeray.admin.AuditModule;
import io.edgeray.admin.CacheReportModule;
import io.edgeray.admin.ConfigEditModule;
import io.edgeray.admin.DoctorModule;
import io.edgeray.admin.FleetModule;
import io.edgeray.admin.MetricsModule;
import io.edgeray.admin.NodeModule;
import io.edgeray.admin.PurgeModule;
import io.edgeray.admin.RangesModule;
import io.edgeray.admin.SecurityEventsModule;
import io.edgeray.admin.SessionModule;
import io.edgeray.admin.SignInLimiter;
import io.edgeray.analytics.Analytics;
import io.edgeray.analytics.RayIndex;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.edit.ConfigEditor;
import io.edgeray.config.edit.ZonesApi;
import io.edgeray.dashboard.DashboardModule;
import io.edgeray.doctor.DoctorRuns;
import io.edgeray.edge.EdgeServer;
import io.edgeray.incident.Incidents;
import io.edgeray.incident.IncidentsModule;
import io.edgeray.observe.EdgeMetrics;
import io.edgeray.fleet.Fleet;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The admin API's modules of one node, in the order their routes are mounted. The node is made
 * after them (it needs the admin server), so what they ask of it goes through {@code self}, which
 * is null until the node exists.
 */
final class AdminModules {
  private AdminModules() {}

  /** @param editor the config file's editor, null for a node without a file */
  static List<AdminModule> of(EdgeConfig config, Path configPath, EdgeServer s, EdgeMetrics metrics, Analytics analytics,
      RayIndex rays, DoctorRuns doctor, Incidents incidents, ConfigEditor editor, Supplier<EdgeNode> self) {
    Supplier<Fleet> fleet = () -> self.get() == null ? null : self.get().fleet();
    return List.of(
        new MetricsModule(metrics.registry()),
        new NodeModule(s::config, s::pools,
            () -> self.get() == null ? new NodeModule.Reloaded("the edge is still starting", null) : self.get().reloaded(),
            () -> EdgeNode.fleetHealth(self.get())),
        new RangesModule(s::config),
        new PurgeModule(s.cache(), s::config, fleet),
        new CacheReportModule(s.cache(), s::config),
        new SecurityEventsModule(s.securityEvents(), s::config),
        new SessionModule(SignInLimiter.standard()),
        new AuditModule(),
        new FleetModule(() -> fleet.get() == null ? null : fleet.get().nodes()),
        // a fleet node's zones live on etcd: API changes to them are written there, and reach every node
        new ConfigEditModule(new ZonesApi(s::config, config.fleet() == null || configPath == null ? editor
            : ConfigEditor.of(new SharedConfigText(configPath, () -> self.get().fleetBase(),
                fleet, () -> self.get().listeners())),
            s.certificates()::certificateOfZone)),
        new AnalyticsModule(analytics, rays, s::config),
        new DoctorModule(doctor::run, body -> EdgeNode.fleetDoctor(self.get(), body)),
        new IncidentsModule(incidents),
        new DashboardModule());
  }
}
