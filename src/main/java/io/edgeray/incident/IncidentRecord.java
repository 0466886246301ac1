package io.edgeray.incident;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.List;
import java.util.Map;

/**
 * One incident as the API, the {@code incidents.jsonl} file and the notifications show it. Field
 * names are a public interface (snake_case in JSON); times are ISO-8601 UTC.
 *
 * @param state {@code open} or {@code closed}
 * @param ended null while open
 * @param codes the origin-failure codes seen (as strings: {@code "521"}) and how many rays got each
 * @param minutes per minute from the first one that crossed the threshold: rays, failures and codes
 * @param origins the origin addresses that failed ({@code 127.0.0.1:8081}), at most {@value Incident#ORIGINS_KEPT}
 * @param pools the configured pools whose origins failed (their webhooks are told too)
 * @param sampleRays ray ids of failed requests, the first {@value Incident#RAYS_KEPT}
 * @param changes what changed on the edge since the host's last good minute, and during the incident
 * @param diagnosis what the doctor found when the incident opened; null until it has run
 * @param closingDiagnosis what the doctor saw when it closed; null while open
 */
public record IncidentRecord(
    String id,
    String host,
    String zone,
    String state,
    String started,
    String ended,
    long rays,
    long failures,
    Map<String, Long> codes,
    List<Minute> minutes,
    List<String> origins,
    List<String> pools,
    List<String> sampleRays,
    List<Change> changes,
    DoctorRun diagnosis,
    DoctorRun closingDiagnosis) {

  static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .setSerializationInclusion(JsonInclude.Include.ALWAYS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES); // a newer edge's extra fields

  public boolean open() {
    return "open".equals(state);
  }

  /** @param minute the minute's start */
  public record Minute(String minute, long rays, long failures, Map<String, Long> codes) {}

  /** @param kind one of {@link ChangeFeed}'s kinds */
  public record Change(String time, String kind, String what) {}

  /**
   * One run of the doctor for the incident's host.
   *
   * @param skipped why the doctor did not run (it ran for this host less than 5 minutes before), else null
   * @param cause the verdict's id ({@code web_server_down}, ...), as {@code edgeray doctor --format json} names it
   */
  public record DoctorRun(String time, String skipped, String cause, String verdict, String confidence, String evidence,
      String whereToFix, String supportMessage, long millis, List<CheckSeen> checks) {

    static DoctorRun skipped(String time, String why) {
      return new DoctorRun(time, why, null, null, null, null, null, null, 0, List.of());
    }
  }

  /** One check of a doctor run: its id, {@code passed}/{@code problem}/..., and its one-line summary. */
  public record CheckSeen(String id, String outcome, String summary) {}
}
