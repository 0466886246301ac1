package io.edgeray.config.edit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the admin layer reports every config change made or refused as invalid through the API.
 * The audit log of the admin API ({@code audit.jsonl}, who and from where) is the real one; until
 * it is wired in, {@link #LOG} writes each change to the edge's log.
 */
@FunctionalInterface
public interface ChangeAudit {
  /** @param who the caller (a token's name), or null when the admin listener has no authentication */
  void record(String who, String address, String method, String path, ApiAnswer answer);

  ChangeAudit LOG = new ChangeAudit() {
    private final Logger log = LoggerFactory.getLogger("io.edgeray.audit");

    @Override
    public void record(String who, String address, String method, String path, ApiAnswer answer) {
      log.info("audit: {} {} by {} from {}: {} -> {}", method, path, who == null ? "-" : who, address, answer.change(), answer.status());
    }
  };
}
