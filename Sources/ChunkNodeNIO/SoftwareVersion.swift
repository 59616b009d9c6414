import BuildInfo

/// The version every node reports in its `start` event and in `p2p_build_info`.
package let softwareVersion = BuildInfo.version
