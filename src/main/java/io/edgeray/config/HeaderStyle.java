package io.edgeray.config;

/** Which forwarding headers the origin receives besides the standard ones. */
public enum HeaderStyle {
  /** Edge-Connecting-IP and Edge-Ray only. */
  EDGERAY,
  /** Also CF-Connecting-IP and CF-RAY, for origins already set up behind Cloudflare. */
  CLOUDFLARE
}
