namespace Faceprint.Storage;

/// <summary>
/// An exclusive lock held through a lock file opened with <see cref="FileShare.None"/>, so that two processes
/// pulling the same package do not interleave writes. The OS drops it when the holder exits, even on a crash.
/// </summary>
internal sealed class CacheLock : IDisposable
{
    private readonly FileStream _stream;

    private CacheLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock on <paramref name="path"/>, retrying with backoff until <paramref name="timeout"/>.</summary>
    /// <param name="path">Lock file; created if missing and left in place afterwards.</param>
    /// <param name="timeout">How long to wait for another holder.</param>
    /// <param name="onWait">Called once, when the first attempt finds the lock taken.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public static async Task<CacheLock> AcquireAsync(string path, TimeSpan timeout, Action? onWait, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(25);
        var waited = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                // Not DeleteOnClose: unlinking a lock file lets a waiter lock the old inode while another locks a new one.
                return new CacheLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Sharing violation: someone else holds it. Other IO errors (bad folder) fall through on the next check.
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new FaceprintException(
                    $"timed out after {timeout.TotalSeconds:0} s waiting for another process to release {path}");
            if (!waited)
            {
                waited = true;
                onWait?.Invoke();
            }
            await Task.Delay(delay < left ? delay : left, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();
}
