package io.edgeray.config.load;

import io.edgeray.config.ConfigException;
import io.edgeray.config.IncidentSettings;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the optional {@code incidents:} section, every problem with its line. Absent: {@link IncidentSettings#DEFAULTS}. */
final class IncidentConfigReader {
  private static final Pattern SHARE = Pattern.compile("(\\d{1,3}(?:\\.\\d+)?)\\s*%");

  private IncidentConfigReader() {}

  static IncidentSettings incidents(ConfigSection root) throws ConfigException {
    var v = root.optional("incidents");
    if (v.isEmpty()) return IncidentSettings.DEFAULTS;
    ConfigSection s = v.get().section();
    IncidentSettings d = IncidentSettings.DEFAULTS;
    var failuresValue = s.optional("min_failures");
    int minFailures = failuresValue.isPresent() ? failuresValue.get().integer(1, 1_000_000) : d.minFailures();
    var shareValue = s.optional("min_share");
    double minShare = shareValue.isPresent() ? share(shareValue.get()) : d.minShare();
    var allValue = s.optional("all_failing_for");
    Duration allFailing = allValue.isPresent() ? allValue.get().duration() : d.allFailingFor();
    var closeValue = s.optional("close_after");
    Duration closeAfter = closeValue.isPresent() ? closeValue.get().duration() : d.closeAfter();
    var notifyValue = s.optional("notify");
    URI notify = notifyValue.isPresent() ? PoolConfigReader.webhook(notifyValue.get()) : null;
    s.finish();
    return new IncidentSettings(minFailures, minShare, allFailing, closeAfter, notify);
  }

  /** {@code 5%}, {@code 0.5%} or {@code 100%}. */
  private static double share(ConfigValue v) throws ConfigException {
    String text = v.nonEmptyString();
    Matcher m = SHARE.matcher(text);
    if (!m.matches()) throw v.error("\"" + text + "\" is not a share (write it as 5% or 0.5%)");
    double percent = Double.parseDouble(m.group(1));
    if (percent <= 0 || percent > 100) throw v.error(text + " is out of range: more than 0% and at most 100%");
    return percent / 100;
  }
}
