import Foundation
import PublicaCore
import PublicaFetch

#if canImport(Glibc)
import Glibc
#endif

/// `publica run --resume`: a run whose fetch failed keeps the pages it saved, in
/// `.<folder>.publica-resume` beside the output folder with the day they were fetched; a run
/// with `--resume` on the same day goes on after the last page saved in order, the same
/// request's (its URL with the secrets redacted). Any fetch that succeeds removes the folder.
extension PipelineRunner {
    var resumeFolder: String { parent + "/.\(baseName).publica-resume" }
    private static let dayFile = "resume.json"

    /// A failed fetch's folder becomes the resume folder. The pages an earlier run of today kept
    /// for requests this one did not get to are moved into it first; when this one saved
    /// nothing, the earlier folder stays as it is.
    func keepForResume(_ folder: String) {
        let saved = PipelineRunner.savedRequests(in: folder)
        guard !saved.isEmpty else {
            removeTree(folder)
            return
        }
        if let earlier = resumableFolder() {
            for (entry, url) in PipelineRunner.savedRequests(in: earlier) where !saved.values.contains(url) {
                rename(earlier + "/" + entry, folder + "/kept-" + entry)
            }
        }
        removeTree(resumeFolder)
        let day = Array("{\"day\": \"\(PipelineRunner.today())\"}\n".utf8)
        guard FileManager.default.createFile(atPath: folder + "/" + PipelineRunner.dayFile, contents: Data(day)),
            rename(folder, resumeFolder) == 0
        else {
            removeTree(folder)
            return
        }
        options.log.info(
            "the pages fetched so far are kept in \(resumeFolder): publica run --resume goes on from them today",
            [("pipeline", .text(pipeline.name))])
    }

    /// The resume folder when `--resume` may use it: this user's folder (not a link), from
    /// today; an older one is removed, and the run starts over.
    func resumableFolder() -> String? {
        var info = stat()
        guard lstat(resumeFolder, &info) == 0 else { return nil }
        guard info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid() else {
            options.log.error(
                "\(resumeFolder) is not a folder this user's run kept: not resumed",
                [("pipeline", .text(pipeline.name))])
            return nil
        }
        let saved = try? JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: resumeFolder + "/" + PipelineRunner.dayFile)))
        let day = (saved as? [String: Any])?["day"] as? String
        guard day == PipelineRunner.today() else {
            options.log.info(
                "the pages kept in \(resumeFolder) were fetched on \(day ?? "an unknown day"), not today: fetching again",
                [("pipeline", .text(pipeline.name))])
            removeTree(resumeFolder)
            return nil
        }
        return resumeFolder
    }

    /// The folders in `folder` that hold a fetch's pages (complete or not), with their request.
    private static func savedRequests(in folder: String) -> [String: String] {
        var requests: [String: String] = [:]
        for entry in OutputFolder.entries(of: folder) where entry != dayFile {
            let sub = folder + "/" + entry
            let manifest =
                (try? FetchManifest.read(folder: sub))
                ?? (try? FetchManifest.read(folder: sub, name: FetchManifest.partialName))
            if let manifest { requests[entry] = manifest.url }
        }
        return requests
    }

    /// The kept fetch of the request shown as `shown`, moved into the empty folder `own`: its
    /// manifest, and whether it was complete (else the pages saved in order before it failed).
    func resumedFetch(of shown: String, from kept: String, into own: String) -> (FetchManifest, complete: Bool)? {
        for entry in OutputFolder.entries(of: kept) where entry != PipelineRunner.dayFile {
            let folder = kept + "/" + entry
            let found =
                (try? FetchManifest.read(folder: folder)).map { ($0, true) }
                ?? (try? FetchManifest.read(folder: folder, name: FetchManifest.partialName)).map { ($0, false) }
            guard let (manifest, complete) = found, manifest.url == shown, rmdir(own) == 0 else { continue }
            guard rename(folder, own) == 0 else {
                mkdir(own, 0o700)
                return nil
            }
            return (manifest, complete)
        }
        return nil
    }
}
