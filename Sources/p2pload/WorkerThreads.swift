#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs each worker on its own POSIX thread and waits for all of them.
enum WorkerThreads {
    private final class Job {
        let worker: LoadWorker
        let start: UInt64
        init(worker: LoadWorker, start: UInt64) {
            self.worker = worker
            self.start = start
        }
    }

    static func run(_ workers: [LoadWorker], startedAt start: UInt64) throws(LoadError) {
        var threads = [pthread_t]()
        for worker in workers {
            var thread = pthread_t()
            let job = Unmanaged.passRetained(Job(worker: worker, start: start)).toOpaque()
            let status = pthread_create(
                &thread, nil,
                { argument in
                    guard let argument else { return nil }
                    let job = Unmanaged<Job>.fromOpaque(argument).takeRetainedValue()
                    job.worker.run(startedAt: job.start)
                    return nil
                }, job)
            guard status == 0 else {
                Unmanaged<Job>.fromOpaque(job).release()
                for started in threads { pthread_join(started, nil) }
                throw .thread(errno: status)
            }
            threads.append(thread)
        }
        for thread in threads { pthread_join(thread, nil) }
    }
}
