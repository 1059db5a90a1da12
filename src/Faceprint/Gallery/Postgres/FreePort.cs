using System.Net;
using System.Net.Sockets;

namespace Faceprint.Gallery.Postgres;

/// <summary>Asks the kernel for a TCP port nobody listens on.</summary>
internal static class FreePort
{
    /// <summary>A port free on 127.0.0.1 right now; another process may still take it before the caller binds.</summary>
    public static int OnLoopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
