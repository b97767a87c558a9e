Console.Error.WriteLine("actormq: not built yet"); return 2;
