package io.edgeray.config.edit;

import io.edgeray.config.EdgeConfig;

/**
 * One change to the owner's YAML: given the file as it is and the config it loads to, the new
 * text. It only writes YAML; {@link ConfigEditor} validates the result with the loader, as
 * {@code check-config} would, before anything is written or applied.
 */
interface ConfigEdit {
  YamlDocument apply(YamlDocument file, EdgeConfig current) throws EditRefused;

  /** A last look at the loaded result, for what the loader allows but the API must not (a second identical record). */
  default void check(EdgeConfig before, EdgeConfig after) throws EditRefused {}
}
