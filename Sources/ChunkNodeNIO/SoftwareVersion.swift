import BuildInfo

/// The version every node reports in its `start` event and in `p2p_build_info`.
public let softwareVersion = BuildInfo.version
