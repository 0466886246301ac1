package io.edgeray.config.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.load.ConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The editor against a real file: each change touches exactly the bytes of its own value, is
 * judged by the loader, and is written so that the old file or the new one is there, never a
 * mix. Expected texts are the original with one line replaced, so "kept byte for byte" is checked
 * on every other byte.
 */
class ConfigEditorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORIGINAL = """
      # the shop's edge; hand-written, with comments 🛒
      node: T1
      listen: { http: 127.0.0.1:0 }   # the system picks the port
      access_log: "-"

      pools:
        - name: web
          origins:
            - { name: a, address: 127.0.0.1, port: 8001 }
            - name: b
              address: 127.0.0.1
              port: 8002   # the spare
      zones:
        # the main shop
        - name: shop.example
          ssl: full
          timeouts: { connect: 5s }
          records:
            - { type: A, name: "@", content: 127.0.0.1, proxied: true }   # the web server
            - type: A
              name: www
              content: 127.0.0.2
              proxied: true        # behind the edge
            - { type: TXT, name: "@", content: "v=spf1 -all" }

        - name: blog.example
          records: [ { type: A, name: "@", content: 127.0.0.3 } ]
          load_balancers: [ { name: lb, pool: web } ]
      """;

  @TempDir Path dir;
  private Path file;
  private final AtomicReference<EdgeConfig> running = new AtomicReference<>();
  private ConfigEditor editor;

  @BeforeEach
  void write() throws Exception {
    file = dir.resolve("edge.yaml");
    Files.writeString(file, ORIGINAL);
    editor = editor(new AtomicFile());
  }

  private ConfigEditor editor(AtomicFile writer) throws Exception {
    running.set(ConfigLoader.load(file));
    return new ConfigEditor(file, () -> null, running::get, running::set, writer);
  }

  private String text() throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static JsonNode json(String s) throws IOException {
    return JSON.readTree(s);
  }

  private String id(String zone, int record) throws EditRefused {
    EdgeConfig c = running.get();
    return RecordId.of(c.zones().get(Edits.zoneIndex(c, zone)).records().get(record));
  }

  @Test
  void switchingARecordToDnsOnlyChangesOnlyThatValue() throws Exception {
    editor.edit(Edits.updateRecord("shop.example", id("shop.example", 1), json("{\"proxied\": false}"), false));
    assertThat(text()).isEqualTo(ORIGINAL.replace("      proxied: true        # behind the edge",
        "      proxied: false        # behind the edge"));
    assertThat(running.get().zones().get(0).records().get(1).proxied()).isFalse();
  }

  @Test
  void aFlowRecordKeepsItsLineAndCommentWhenOneFieldChanges() throws Exception {
    editor.edit(Edits.updateRecord("shop.example", id("shop.example", 0), json("{\"content\": \"127.0.0.9\", \"ttl\": 60}"), false));
    assertThat(text()).isEqualTo(ORIGINAL.replace("{ type: A, name: \"@\", content: 127.0.0.1, proxied: true }   # the web server",
        "{ type: A, name: \"@\", content: 127.0.0.9, proxied: true, ttl: 60 }   # the web server"));
  }

  @Test
  void aNewRecordIsOneLineAfterTheLastAtTheListsIndentation() throws Exception {
    editor.edit(Edits.addRecord("shop.example", json("{\"type\": \"CNAME\", \"name\": \"shop\", \"content\": \"www.shop.example\", \"proxied\": true}")));
    assertThat(text()).isEqualTo(ORIGINAL.replace("      - { type: TXT, name: \"@\", content: \"v=spf1 -all\" }\n",
        "      - { type: TXT, name: \"@\", content: \"v=spf1 -all\" }\n"
            + "      - { type: CNAME, name: shop, content: www.shop.example, proxied: true }\n"));
  }

  @Test
  void aNewRecordInAFlowListGoesBeforeItsBracket() throws Exception {
    editor.edit(Edits.addRecord("blog.example", json("{\"type\": \"TXT\", \"name\": \"@\", \"content\": \"hello: world\"}")));
    assertThat(text()).isEqualTo(ORIGINAL.replace("records: [ { type: A, name: \"@\", content: 127.0.0.3 } ]",
        "records: [ { type: A, name: \"@\", content: 127.0.0.3 }, { type: TXT, name: \"@\", content: \"hello: world\" } ]"));
  }

  @Test
  void deletingABlockRecordRemovesItsLinesAndNothingElse() throws Exception {
    editor.edit(Edits.deleteRecord("shop.example", id("shop.example", 1)));
    assertThat(text()).isEqualTo(ORIGINAL.replace("""
              - type: A
                name: www
                content: 127.0.0.2
                proxied: true        # behind the edge
        """, ""));
    assertThat(running.get().zones().get(0).records()).hasSize(2);
  }

  @Test
  void theLastRecordDeletedLeavesAnEmptyListThatANewRecordFillsAgain() throws Exception {
    editor.edit(Edits.deleteRecord("blog.example", id("blog.example", 0)));
    assertThat(text()).contains("    records: []\n");
    assertThat(running.get().zones().get(1).records()).isEmpty();
    editor.edit(Edits.addRecord("blog.example", json("{\"type\": \"A\", \"name\": \"@\", \"content\": \"127.0.0.4\"}")));
    assertThat(text()).contains("    records: [{ type: A, name: \"@\", content: 127.0.0.4 }]\n");
  }

  @Test
  void settingsChangeTheirOwnKeysAndAddTheMissingOnesUnderTheZone() throws Exception {
    editor.edit(Edits.zoneSettings("shop.example",
        json("{\"ssl\": \"full_strict\", \"paused\": true, \"timeouts\": {\"read\": \"30s\"}, \"origin_ports\": {\"http\": 8080}}")));
    String expected = ORIGINAL.replace("    ssl: full\n    timeouts: { connect: 5s }\n",
            "    ssl: full_strict\n    timeouts: { connect: 5s, read: 30s }\n")
        .replace("      - { type: TXT, name: \"@\", content: \"v=spf1 -all\" }\n",
            "      - { type: TXT, name: \"@\", content: \"v=spf1 -all\" }\n    paused: true\n    origin_ports: { http: 8080 }\n");
    assertThat(text()).isEqualTo(expected);
    var zone = running.get().zones().get(0);
    assertThat(zone.paused()).isTrue();
    assertThat(zone.tls().ssl().configName()).isEqualTo("full_strict");
    assertThat(zone.timeouts().read()).hasSeconds(30);
    assertThat(zone.timeouts().connect()).hasSeconds(5);
    assertThat(zone.originPorts().http()).isEqualTo(8080);
  }

  @Test
  void disablingAPoolOriginAddsEnabledFalseToItsMapping() throws Exception {
    editor.edit(Edits.originEnabled("web", "b", false));
    assertThat(text()).isEqualTo(ORIGINAL.replace("        port: 8002   # the spare\n", "        port: 8002   # the spare\n        enabled: false\n"));
    editor.edit(Edits.originEnabled("web", "a", false));
    assertThat(text()).contains("      - { name: a, address: 127.0.0.1, port: 8001, enabled: false }\n");
    assertThat(running.get().pools().get(0).origins()).noneMatch(o -> o.enabled());
  }

  @Test
  void anInvalidValueNamesItsKeyPathAndChangesNothing() throws Exception {
    EdgeConfig before = running.get();
    assertThatThrownBy(() -> editor.edit(Edits.updateRecord("shop.example", id("shop.example", 1), json("{\"content\": \"999.1.1.1\"}"), false)))
        .isInstanceOfSatisfying(EditRefused.class, e -> {
          assertThat(e.status()).isEqualTo(422);
          assertThat(e.field()).isEqualTo("zones[0].records[1].content");
          assertThat(e.getMessage()).isEqualTo("\"999.1.1.1\" is not an IPv4 address");
        });
    assertThatThrownBy(() -> editor.edit(Edits.zoneSettings("shop.example", json("{\"ssl\": \"sometimes\"}"))))
        .isInstanceOfSatisfying(EditRefused.class, e -> assertThat(e.field()).isEqualTo("zones[0].ssl"));
    assertThat(text()).isEqualTo(ORIGINAL);
    assertThat(running.get()).isSameAs(before);
  }

  @Test
  void aHandEditSinceTheLastLoadIsAConflictAndTheFileStaysAsTheOwnerLeftIt() throws Exception {
    String handEdited = ORIGINAL.replace("ssl: full\n", "ssl: flexible   # changed by hand\n");
    Files.writeString(file, handEdited);
    assertThatThrownBy(() -> editor.edit(Edits.zoneSettings("shop.example", json("{\"paused\": true}"))))
        .isInstanceOfSatisfying(EditRefused.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.code()).isEqualTo("config_changed_on_disk");
        });
    assertThat(text()).isEqualTo(handEdited);
    editor.reload(); // the owner reloads: the next change is made on top of the hand edit
    editor.edit(Edits.zoneSettings("shop.example", json("{\"paused\": true}")));
    assertThat(text()).contains("ssl: flexible   # changed by hand\n").contains("    paused: true\n");
  }

  @Test
  void aCrashBeforeTheRenameLeavesTheOldFileAndNoTemporaryFile() throws Exception {
    AtomicReference<Path> temporary = new AtomicReference<>();
    ConfigEditor crashing = editor(new AtomicFile(tmp -> {
      temporary.set(tmp);
      assertThat(Files.readString(tmp)).contains("paused: true"); // the whole new text, fsynced, under another name
      throw new IOException("power cut");
    }));
    assertThatThrownBy(() -> crashing.edit(Edits.zoneSettings("shop.example", json("{\"paused\": true}"))))
        .isInstanceOfSatisfying(EditRefused.class, e -> assertThat(e.status()).isEqualTo(500));
    assertThat(text()).isEqualTo(ORIGINAL);
    assertThat(temporary.get().getParent()).isEqualTo(file.toRealPath().getParent());
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("edge.yaml");
    }
    assertThat(running.get().zones().get(0).paused()).isFalse();
  }

  @Test
  void theFileKeepsItsPermissionsAndASymlinkKeepsPointingAtIt() throws Exception {
    Path real = dir.resolve("real.yaml");
    Files.move(file, real);
    Files.createSymbolicLink(file, real);
    Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r-----"));
    editor = editor(new AtomicFile());
    editor.edit(Edits.zoneSettings("shop.example", json("{\"paused\": true}")));
    assertThat(Files.isSymbolicLink(file)).isTrue();
    assertThat(Files.readString(real)).contains("paused: true");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(real))).isEqualTo("rw-r-----");
  }

  @Test
  void aSecondIdenticalRecordIsAConflict() throws Exception {
    assertThatThrownBy(() -> editor.edit(Edits.addRecord("shop.example", json("{\"type\": \"TXT\", \"name\": \"@\", \"content\": \"v=spf1 -all\"}"))))
        .isInstanceOfSatisfying(EditRefused.class, e -> assertThat(e.code()).isEqualTo("record_exists"));
    assertThat(text()).isEqualTo(ORIGINAL);
  }

  @Test
  void unknownZonesRecordsPoolsAndOriginsAreNotFound() {
    List.of(Edits.deleteRecord("nope.example", "abc"), Edits.deleteRecord("shop.example", "000000000000"),
        Edits.originEnabled("nope", "a", false), Edits.originEnabled("web", "z", false)).forEach(edit ->
        assertThatThrownBy(() -> editor.edit(edit)).isInstanceOfSatisfying(EditRefused.class, e -> assertThat(e.status()).isEqualTo(404)));
  }

  @Test
  void theAuditSeesChangesMadeAndChangesRefusedForTheirValuesButNotLookupsOrBadJson() throws Exception {
    ZonesApi api = new ZonesApi(running::get, editor);
    ApiAnswer made = api.zoneSettings("shop.example", "{\"paused\": true}".getBytes(StandardCharsets.UTF_8));
    assertThat(made.status()).isEqualTo(200);
    assertThat(made.change()).isEqualTo("zone shop.example: settings {\"paused\":true}");
    ApiAnswer invalid = api.zoneSettings("shop.example", "{\"paused\": 3}".getBytes(StandardCharsets.UTF_8));
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.audited()).isTrue();
    assertThat(api.zoneSettings("nope.example", "{\"paused\": true}".getBytes(StandardCharsets.UTF_8)).audited()).isFalse();
    assertThat(api.zoneSettings("shop.example", "{".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
    assertThat(api.zone("shop.example").audited()).isFalse();
  }

  @Test
  void aValueSharedThroughAnAnchorIsLeftForTheOwnerToEdit() throws Exception {
    String anchored = ORIGINAL.replace("    timeouts: { connect: 5s }\n", "    timeouts: &t { connect: 5s }\n")
        .replace("  - name: blog.example\n", "  - name: blog.example\n    timeouts: *t\n");
    Files.writeString(file, anchored);
    editor = editor(new AtomicFile());
    assertThatThrownBy(() -> editor.edit(Edits.zoneSettings("blog.example", json("{\"timeouts\": {\"read\": \"30s\"}}"))))
        .isInstanceOfSatisfying(EditRefused.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.code()).isEqualTo("config_layout");
        });
    assertThat(text()).isEqualTo(anchored);
  }
}
