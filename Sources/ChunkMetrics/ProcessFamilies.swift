import Prometheus

/// The standard `process_*` families, set from a `ProcessSnapshot` at each scrape.
struct ProcessFamilies {
    let cpu: Counter
    let resident: Gauge
    let virtual: Gauge
    let openFDs: Gauge
    let maxFDs: Gauge
    let startTime: Gauge

    init(registry: PrometheusCollectorRegistry) {
        cpu = registry.counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.")
        resident = registry.gauge("process_resident_memory_bytes", "Resident memory size in bytes.")
        virtual = registry.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.")
        openFDs = registry.gauge("process_open_fds", "Number of open file descriptors.")
        maxFDs = registry.gauge("process_max_fds", "Maximum number of open file descriptors.")
        startTime = registry.gauge(
            "process_start_time_seconds", "Start time of the process since unix epoch in seconds.")
    }

    /// Sets every family to the snapshot's figures; only a render calls this.
    func refresh(from process: ProcessSnapshot) {
        cpu.reset()
        cpu.increment(by: process.cpuSeconds)
        resident.set(to: process.residentMemoryBytes)
        virtual.set(to: process.virtualMemoryBytes)
        openFDs.set(to: process.openFileDescriptors)
        maxFDs.set(to: process.maxFileDescriptors)
        startTime.set(to: process.startTimeSeconds)
    }
}
